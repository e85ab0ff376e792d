/*
 * Golden tests: every format on three realistic inputs, compared with the
 * files in __fixtures__/golden. `UPDATE_GOLDEN=1` rewrites them; review the
 * diff before committing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { sarifValidator } from './__testUtils__/sarif';
import { FIXTURES, NOW, runCli } from './testing';

const GOLDEN = path.join(FIXTURES, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const CASES: Record<string, { args: string[]; stdin?: string }> = {
  // A folder with a compliant app: no findings.
  compliant: { args: ['compliant-app'] },
  // A typical multi-document file with a config (override, waiver).
  noncompliant: {
    args: ['noncompliant.yaml', '--config', 'baseline-config.yaml'],
  },
  // `helm template ... |`: objects without namespace, a Secret, a hook Pod.
  helm: {
    args: [
      '-',
      '--namespace',
      'orders',
      '--namespace-context',
      'namespace-context.yaml',
    ],
    stdin: fs.readFileSync(path.join(FIXTURES, 'helm-template.yaml'), 'utf8'),
  },
};

const FORMAT_FILES: Record<string, string> = {
  table: 'table.txt',
  json: 'json',
  sarif: 'sarif',
  junit: 'junit.xml',
  markdown: 'md',
};

describe('golden outputs', () => {
  for (const [name, c] of Object.entries(CASES)) {
    for (const [format, ext] of Object.entries(FORMAT_FILES)) {
      it(`${name} as ${format}`, async () => {
        const run = await runCli(
          ['scan', ...c.args, '--format', format, '--now', NOW],
          {
            stdin: c.stdin,
          },
        );
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const file = path.join(GOLDEN, `${name}.${ext}`);
        if (UPDATE) {
          fs.mkdirSync(GOLDEN, { recursive: true });
          fs.writeFileSync(file, run.stdout);
        }
        expect(run.stdout).toBe(fs.readFileSync(file, 'utf8'));
      });
    }
  }

  it('the JSON golden keeps the documented schema', () => {
    const json = JSON.parse(
      fs.readFileSync(path.join(GOLDEN, 'noncompliant.json'), 'utf8'),
    );
    expect(json.version).toBe(1);
    expect(Object.keys(json)).toEqual([
      'version',
      'tool',
      'mode',
      'profile',
      'evaluatedAt',
      'score',
      'gate',
      'counts',
      'judged',
      'inputs',
      'stats',
      'rules',
      'findings',
    ]);
    expect(json.score).toEqual(
      expect.objectContaining({
        score: expect.any(Number),
        grade: expect.any(String),
      }),
    );
    const finding = json.findings.find(
      (f: any) => f.ruleId === 'container-not-privileged',
    );
    expect(finding).toEqual(
      expect.objectContaining({
        baselineRef: 'PS-07',
        severity: 'critical',
        status: 'fail',
        resource: expect.objectContaining({
          kind: 'Deployment',
          namespace: 'legacy',
          name: 'legacy-web',
        }),
        location: { file: 'noncompliant.yaml', line: 9 },
      }),
    );
    // Its own fix: the exact container, an example to adapt.
    expect(finding.fix).toEqual(
      expect.objectContaining({
        kind: 'patch',
        format: 'json-patch',
        operations: [
          {
            op: 'add',
            path: '/spec/template/spec/containers/1/securityContext/privileged',
            value: false,
          },
        ],
        adapt: expect.stringContaining('grant the one capability it needs'),
        yaml: expect.stringContaining('- name: metrics\n'),
      }),
    );
    // Only failures carry one.
    expect(
      json.findings.filter((f: any) => f.fix && f.status !== 'fail'),
    ).toEqual([]);
    expect(
      json.rules.find((r: any) => r.id === 'container-not-privileged')
        .remediation.summary,
    ).toMatch(/privileged/);
  });
});

describe('SARIF', () => {
  const validate = sarifValidator();

  for (const name of Object.keys(CASES)) {
    it(`${name} validates against the SARIF 2.1.0 schema`, () => {
      const sarif = JSON.parse(
        fs.readFileSync(path.join(GOLDEN, `${name}.sarif`), 'utf8'),
      );
      const valid = validate(sarif);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    });
  }

  it('the schema rejects a broken log (the check can fail)', () => {
    expect(
      validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 1 } } }] }),
    ).toBe(false);
    expect(
      validate({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [
              {
                message: { text: 'm' },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: 'a b' },
                      region: { startLine: 0 },
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).toBe(false);
  });

  it('carries rule metadata, levels and locations GitHub code scanning needs', () => {
    const sarif = JSON.parse(
      fs.readFileSync(path.join(GOLDEN, 'noncompliant.sarif'), 'utf8'),
    );
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find(
      (r: any) => r.id === 'container-not-privileged',
    );
    expect(rule).toEqual(
      expect.objectContaining({
        name: 'ContainerNotPrivileged',
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        defaultConfiguration: { level: 'error' },
      }),
    );
    expect(rule.help.text).toMatch(/PS-07/);
    expect(rule.help.markdown).toMatch(/\*\*Fix:\*\*/);
    expect(rule.properties.tags).toEqual(
      expect.arrayContaining(['PS-07', 'pod-security']),
    );

    const result = run.results.find(
      (r: any) => r.ruleId === 'container-not-privileged',
    );
    expect(result.level).toBe('error');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(
      'container-not-privileged',
    );
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'noncompliant.yaml' },
      region: { startLine: 9 },
    });

    const waived = run.results.find(
      (r: any) => r.ruleId === 'service-internal-load-balancer',
    );
    expect(waived.suppressions[0]).toEqual(
      expect.objectContaining({ kind: 'external', status: 'accepted' }),
    );
    expect(waived.locations[0].physicalLocation.region.startLine).toBe(39);
  });

  it('names standard input <stdin> as an escaped URI', () => {
    const sarif = JSON.parse(
      fs.readFileSync(path.join(GOLDEN, 'helm.sarif'), 'utf8'),
    );
    const uris = new Set(
      sarif.runs[0].results.map(
        (r: any) => r.locations[0].physicalLocation.artifactLocation.uri,
      ),
    );
    expect(uris).toEqual(new Set(['%3Cstdin%3E', 'namespace-context.yaml']));
  });
});
