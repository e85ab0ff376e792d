import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSnapshotDirectory } from './directory';
import { SnapshotReadError } from './errors';
import { readSnapshot } from './snapshot';
import { parseSourceDocuments } from './source-documents';
import { UnrenderedTemplateError } from './templates';

/** A Deployment whose image is a placeholder of `kind` that parses as YAML. */
const deployment = (image: string, name = 'web') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    `      - {name: web, image: "${image}"}`,
    '',
  ].join('\n');

function refusal(text: string) {
  try {
    parseSourceDocuments(text, 'm.yaml');
  } catch (error) {
    if (error instanceof UnrenderedTemplateError) {
      return {
        kind: error.kind,
        summary: error.summary,
        line: error.line,
        problem: error.problem,
      };
    }
    throw error;
  }
  return undefined;
}

describe('unrendered templates, refused by the one parser', () => {
  it('refuses Helm actions, scaffolder expressions and envsubst placeholders that parse, with the line', () => {
    expect(refusal(deployment('{{ .Values.image }}'))).toEqual({
      kind: 'helm',
      summary:
        'a template (unrendered Helm action {{ .Values.image }}): render it first',
      line: 12,
      problem: undefined,
    });
    expect(refusal(deployment('acr.io/web:1', '${{ values.name }}'))).toEqual(
      expect.objectContaining({ kind: 'expression', line: 4 }),
    );
    expect(refusal(deployment('acr.io/web:${TAG}'))).toEqual(
      expect.objectContaining({
        kind: 'envsubst',
        summary:
          'a template (unsubstituted placeholder ${TAG}): substitute it first',
        line: 12,
      }),
    );
    // JSON too.
    expect(
      refusal('{"kind": "Pod", "metadata": {"name": "${NAME}"}}')?.kind,
    ).toBe('envsubst');
  });

  it("refuses a chart template that does not parse with the parser's reason, and leaves other syntax errors alone", () => {
    const chart =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels: {{- include "x" . | nindent 4 }}\n';
    const found = refusal(chart);
    expect(found).toEqual(
      expect.objectContaining({ kind: 'helm', line: undefined }),
    );
    expect(found?.problem).toBeTruthy();
    expect(() => parseSourceDocuments('a: [\n', 'bad.yaml')).toThrow(
      expect.not.objectContaining({ name: 'UnrenderedTemplateError' }),
    );
  });

  it("leaves Kubernetes' own $(VAR), scripts and other tools' {{ }} alone", () => {
    expect(
      refusal(
        'kind: ConfigMap\nmetadata:\n  name: app\ndata:\n  run.sh: echo ${HOME}\n',
      ),
    ).toBeUndefined();
    expect(
      refusal(
        'kind: PrometheusRule\nmetadata:\n  name: r\n  annotations:\n    summary: "{{ $labels.instance }} down"\n',
      ),
    ).toBeUndefined();
    expect(refusal(deployment('acr.io/web:1'))).toBeUndefined();
  });

  it('is refused where the scaffolder and the backend read text: readSnapshot names the file and line', () => {
    const read = () =>
      readSnapshot({
        name: 'workspace',
        mode: 'manifests',
        kubernetes: [
          { file: 'ok.yaml', text: deployment('acr.io/web:1', 'ok') },
          { file: 'web.yaml', text: deployment('{{ .Values.image }}') },
        ],
      });
    expect(read).toThrow(SnapshotReadError);
    expect(read).toThrow(
      'web.yaml: line 12: a template (unrendered Helm action {{ .Values.image }}): render it first',
    );
  });

  it('refuses a snapshot directory holding a template', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aks-template-'));
    try {
      await fs.writeFile(
        path.join(dir, 'web.yaml'),
        deployment('acr.io/web:${TAG}'),
      );
      await expect(readSnapshotDirectory(dir)).rejects.toThrow(
        `${path.join(
          dir,
          'web.yaml',
        )}: line 12: a template (unsubstituted placeholder \${TAG})`,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
