import { InputError } from '../errors';
import { parseSource } from './documents';
import { UnrenderedTemplateError } from './templates';

const DEPLOYMENT = (container: string, meta = '  name: web\n') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n${meta}spec:\n  template:\n    spec:\n      containers:\n${container}`;

function refusal(text: string): { reason: string; line?: number } | undefined {
  try {
    parseSource(text, 'm.yaml');
    return undefined;
  } catch (error) {
    if (error instanceof UnrenderedTemplateError) {
      return { reason: error.reason, line: error.line };
    }
    throw error;
  }
}

describe('unrendered templates', () => {
  it('finds Helm actions in templates that happen to parse', () => {
    expect(
      refusal(
        DEPLOYMENT(
          '      - name: web\n        image: "{{ .Values.image.repository }}:{{ .Chart.AppVersion }}"\n',
        ),
      ),
    ).toEqual({
      reason:
        'a template (unrendered Helm action {{ .Values.image.repository }}): render it first, e.g. helm template ... | aks-baseline scan -',
      line: 10,
    });
    expect(
      refusal(
        DEPLOYMENT(
          '      - name: web\n',
          '  name: web\n  labels:\n    chart: \'{{- include "x.chart" . }}\'\n',
        ),
      ),
    ).toEqual({ reason: expect.stringMatching(/include/), line: 6 });
  });

  it('finds scaffolder expressions (${{ values.name }})', () => {
    expect(
      refusal(
        DEPLOYMENT('      - name: web\n', '  name: ${{ values.name }}\n'),
      ),
    ).toEqual({
      reason:
        'a template (unrendered expression ${{ values.name }}): render it first',
      line: 4,
    });
  });

  it('finds envsubst placeholders where Kubernetes reads values', () => {
    const cases: Array<[string, string]> = [
      ['      - name: web\n        image: acr.io/web:${TAG}\n', '${TAG}'],
      ['      - name: ${APP}\n', '${APP}'],
      [
        '      - name: web\n        env:\n        - name: DB_PASSWORD\n          value: ${DB_PASSWORD}\n',
        '${DB_PASSWORD}',
      ],
      [
        '      - name: web\n        resources:\n          limits: {cpu: "${CPU:-500m}"}\n',
        '${CPU:-500m}',
      ],
    ];
    for (const [container, marker] of cases) {
      expect(refusal(DEPLOYMENT(container))).toEqual({
        reason: `a template (unsubstituted placeholder ${marker}): substitute it first, e.g. envsubst < FILE | aks-baseline scan -`,
        line: expect.any(Number),
      });
    }
    expect(refusal('kind: ConfigMap\nmetadata:\n  name: ${NAME}\n')?.line).toBe(
      3,
    );
    expect(refusal('kind: X\nspec:\n  ${KEY}: 1\n')?.line).toBe(3);
  });

  it("leaves Kubernetes' own $(VAR), scripts, data and other tools' expressions alone", () => {
    const legit = [
      DEPLOYMENT(
        '      - name: web\n        image: web:1\n        command: ["sh", "-c", "exec java ${JAVA_OPTS} -jar /app.jar"]\n        args: ["--pod=$(POD_NAME)", "--home=${HOME}"]\n        env:\n        - name: URL\n          value: http://$(POD_IP):8080\n',
      ),
      'kind: ConfigMap\nmetadata:\n  name: app\ndata:\n  application.properties: db.host=${DB_HOST}\n  nginx.conf: |\n    set $x "${y}";\n',
      'kind: PrometheusRule\nmetadata:\n  name: r\n  annotations:\n    summary: "{{ $labels.instance }} down"\nspec:\n  groups:\n  - rules:\n    - alert: Down\n      annotations:\n        description: "{{ $value }} on {{ $labels.instance }} ({{ .Labels.job }})"\n',
      'kind: Workflow\nmetadata:\n  name: w\nspec:\n  templates:\n  - container:\n      image: alpine\n      args: ["{{inputs.parameters.message}}"]\n    script:\n      source: |\n        echo ${HOME}\n        echo "{{workflow.name}}"\n',
      'kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: "registry/app:1.0"\n    # image: ${IMAGE} in a comment\n',
    ];
    for (const text of legit) expect(refusal(text)).toBeUndefined();
  });

  it("keeps refusing charts whose templates do not parse, with the parser's reason", () => {
    const chart =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . | nindent 4 }}\n';
    expect(refusal(chart)).toEqual({
      reason: expect.stringMatching(
        /^a template \(contains \{\{ \}\}\): render it first, e\.g\. helm template \.\.\. \| aks-baseline scan - \(as it is: /,
      ),
      line: undefined,
    });
    // Without {{ it stays a syntax error.
    let error: unknown;
    try {
      parseSource('a: [\n', 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).not.toBeInstanceOf(UnrenderedTemplateError);
  });
});
