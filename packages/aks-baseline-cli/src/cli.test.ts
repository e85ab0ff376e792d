import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { scan } from './scan';
import { FIXTURES, NOW, runCli } from './testing';

const ENGINE_FIXTURES = path.resolve(
  __dirname,
  '../../../plugins/aks-baseline-node/src/__fixtures__',
);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-cli-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function json(
  args: string[],
  options: { stdin?: string; cwd?: string } = {},
) {
  const run = await runCli(
    ['scan', ...args, '--format', 'json', '--now', NOW],
    options,
  );
  if (run.code === 2) throw new Error(run.stderr);
  return { ...run, report: JSON.parse(run.stdout) };
}

const POD = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: apps
spec:
  containers:
    - name: c
      image: nginx:latest${extra}
`;

/** A compliant Namespace, so that Namespace objects count as provided. */
const OTHER_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: other
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
`;

describe('exit codes', () => {
  it('0 when no gate is set, even with failures', async () => {
    const run = await runCli(['scan', 'noncompliant.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Gate: no gate set/);
  });

  it('0 when the score is at or above --fail-below', async () => {
    const run = await runCli(['scan', 'compliant-app', '--fail-below', '100']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Gate: passed \(score ≥ 100\)/);
  });

  it('1 when the score is below --fail-below', async () => {
    const run = await runCli([
      'scan',
      'noncompliant.yaml',
      '--fail-below',
      '80',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /Gate: FAILED: score \d+ is below --fail-below 80/,
    );
  });

  it('1 when a finding is at or above --fail-on', async () => {
    const critical = await runCli([
      'scan',
      'noncompliant.yaml',
      '--fail-on',
      'critical',
    ]);
    expect(critical.code).toBe(1);
    expect(critical.stdout).toMatch(
      /1 critical finding at or above --fail-on critical/,
    );
    const high = await runCli([
      'scan',
      'noncompliant.yaml',
      '--fail-on',
      'high',
      '-f',
      'json',
    ]);
    expect(high.code).toBe(1);
    expect(JSON.parse(high.stdout).gate.reasons[0]).toMatch(
      /1 critical, 7 high findings/,
    );
  });

  it('0 with --fail-on when the only findings at that level are waived', async () => {
    // The DaemonSet's hostNetwork (critical) is waived by annotation; with the
    // privileged Deployment left out, nothing critical fails.
    const file = write(
      'waived-only.yaml',
      fs
        .readFileSync(path.join(FIXTURES, 'noncompliant.yaml'), 'utf8')
        .replace('privileged: true', 'privileged: false'),
    );
    const run = await runCli([
      'scan',
      file,
      '--fail-on',
      'critical',
      '-f',
      'json',
    ]);
    const report = JSON.parse(run.stdout);
    expect(
      report.findings.some(
        (f: any) => f.status === 'waived' && f.severity === 'critical',
      ),
    ).toBe(true);
    expect(run.code).toBe(0);
  });

  it('0 with --fail-on when findings at that level are only unknown, 1 with --fail-on-unknown', async () => {
    // The Pod's Namespace is not among the manifests: PS-01 (high) cannot
    // be decided for it; IM-03 (its registry) is judged and passes.
    const file = write(
      'unknown-only.yaml',
      POD('p').replace('nginx:latest', 'contoso.azurecr.io/a:1.0'),
    );
    const { report, code } = await json([
      file,
      '--only',
      'PS-01,IM-03',
      '--fail-on',
      'high',
    ]);
    expect(report.findings.map((f: any) => f.status)).toEqual(['unknown']);
    expect(report.score.score).toBe(100);
    expect(code).toBe(0);
    expect(report.gate.reasons).toEqual([]);

    const strict = await json([
      file,
      '--only',
      'PS-01,IM-03',
      '--fail-on',
      'high',
      '--fail-on-unknown',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.report.gate.reasons).toEqual([
      '1 high unknown finding (could not be decided) at or above --fail-on high with --fail-on-unknown',
    ]);
    // Unknowns below --fail-on do not fail it.
    const critical = await json([
      file,
      '--only',
      'PS-01,IM-03',
      '--fail-on',
      'critical',
      '--fail-on-unknown',
    ]);
    expect(critical.code).toBe(0);
  });

  it('2 for an unknown rule id, naming the valid ones', async () => {
    const run = await runCli([
      'scan',
      'noncompliant.yaml',
      '--only',
      'container-not-privileged,no-such-rule',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--only: unknown rule id "no-such-rule"/);
    expect(run.stderr).toMatch(
      /Valid rule ids .*container-drop-all-capabilities/,
    );
    const skip = await runCli(['scan', 'noncompliant.yaml', '--skip', 'XX-99']);
    expect(skip.code).toBe(2);
    expect(skip.stderr).toMatch(/--skip: unknown rule id "XX-99"/);
  });

  it('2 for an unknown profile, format or severity, naming the choices', async () => {
    const profile = await runCli([
      'scan',
      'noncompliant.yaml',
      '--profile',
      'staging',
    ]);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(
      /Allowed choices are production, non-production/,
    );
    const format = await runCli([
      'scan',
      'noncompliant.yaml',
      '--format',
      'pdf',
    ]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(
      /Allowed choices are table, json, sarif, junit, markdown/,
    );
    const severity = await runCli([
      'scan',
      'noncompliant.yaml',
      '--fail-on',
      'severe',
    ]);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(
      /Allowed choices are critical, high, medium, low/,
    );
    const score = await runCli([
      'scan',
      'noncompliant.yaml',
      '--fail-below',
      '120',
    ]);
    expect(score.code).toBe(2);
    expect(score.stderr).toMatch(/0 to 100/);
  });

  it('2 for malformed YAML, naming the file and line', async () => {
    const file = write(
      'broken/bad.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n  namespace: x\n`,
    );
    const run = await runCli(['scan', file], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^aks-baseline: broken\/bad\.yaml:(9|10|11): not valid YAML/,
    );
    expect(run.stdout).toBe('');
  });

  it('2 for malformed JSON, naming the file and line', async () => {
    write(
      'bad.json',
      '{\n  "kind": "List",\n  "items": [\n    {"kind": "Pod",}\n  ]\n}\n',
    );
    const run = await runCli(['scan', 'bad.json'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.json:4: not valid JSON/);
  });

  it('2 for a Kubernetes object the engine rejects, at its line', async () => {
    write(
      'noname.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# a pod without a name\napiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\n`,
    );
    const run = await runCli(['scan', 'noname.yaml'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /noname\.yaml:7: metadata\.name: expected a non-empty string/,
    );
  });

  it('2 for a missing file or an empty folder', async () => {
    const missing = await runCli(['scan', 'does-not-exist.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /does-not-exist\.yaml: no such file or folder/,
    );
    fs.mkdirSync(path.join(tmp, 'empty'), { recursive: true });
    const empty = await runCli(['scan', 'empty'], { cwd: tmp });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(
      /empty: no \*\.yaml, \*\.yml or \*\.json files/,
    );
  });

  it('2 without inputs on a terminal, and on empty standard input', async () => {
    const none = await runCli(['scan']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/nothing to scan/);
    const empty = await runCli(['scan'], { stdin: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/standard input is empty/);
  });

  it('2 for a bad configuration, naming the path and line', async () => {
    // Scans the non-compliant fixture with a configuration file of its own.
    const scanWithConfig = (file: string, content: string, flag: string) => {
      write(file, content);
      return runCli(
        ['scan', path.join(FIXTURES, 'noncompliant.yaml'), flag, file],
        { cwd: tmp },
      );
    };
    const run = await scanWithConfig(
      'bad-config.yaml',
      `rules:\n  container-not-privileged:\n    severity: high\nwaivers:\n  - ruleId: container-not-privileged\n    owner: me\n    reason: test\n    expires: someday\n`,
      '--config',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /bad-config\.yaml:8: waivers\[0\]\.expires: expected a date YYYY-MM-DD/,
    );
    const typo = await scanWithConfig(
      'typo-config.yaml',
      `rules:\n  container-not-privilegd:\n    enabled: false\n`,
      '-c',
    );
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /typo-config\.yaml:2: rules\.container-not-privilegd: unknown rule id .*Did you mean container-not-privileged/,
    );
  });

  it('reads the baseline section of an app-config file', async () => {
    write(
      'app-config.yaml',
      `app:\n  title: x\naksBaseline:\n  baseline:\n    rules:\n      container-not-privileged:\n        enabled: false\n`,
    );
    const ok = await json(
      [path.join(FIXTURES, 'noncompliant.yaml'), '--config', 'app-config.yaml'],
      { cwd: tmp },
    );
    expect(ok.report.findings.map((f: any) => f.ruleId)).not.toContain(
      'container-not-privileged',
    );
    write(
      'bad-app-config.yaml',
      `aksBaseline:\n  baseline:\n    profile: staging\n`,
    );
    const bad = await runCli(
      [
        'scan',
        path.join(FIXTURES, 'noncompliant.yaml'),
        '-c',
        'bad-app-config.yaml',
      ],
      { cwd: tmp },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /bad-app-config\.yaml:3: aksBaseline\.baseline\.profile: expected production or non-production/,
    );
  });

  it("reads a configuration as kubectl reads YAML (enabled: no is false), keeping an app-config's ${VAR}", async () => {
    write(
      'yaml11-app-config.yaml',
      `backend:\n  database:\n    connection: \${POSTGRES_URL}\naksBaseline:\n  baseline:\n    rules:\n      container-not-privileged:\n        enabled: no\n      container-run-as-non-root:\n        enabled: Off\n`,
    );
    const run = await runCli(
      [
        'scan',
        path.join(FIXTURES, 'noncompliant.yaml'),
        '-c',
        'yaml11-app-config.yaml',
        '-f',
        'json',
      ],
      { cwd: tmp },
    );
    expect(run.stderr).toBe('');
    const ids = JSON.parse(run.stdout).findings.map((f: any) => f.ruleId);
    expect(ids).not.toContain('container-not-privileged');
    expect(ids).not.toContain('container-run-as-non-root');
    expect(ids).toContain('container-no-privilege-escalation');
    // What kubectl refuses is refused here too, with the line.
    write('dup-config.yaml', `profile: production\nprofile: non-production\n`);
    const dup = await runCli(
      [
        'scan',
        path.join(FIXTURES, 'noncompliant.yaml'),
        '-c',
        'dup-config.yaml',
      ],
      { cwd: tmp },
    );
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/dup-config\.yaml:2: duplicate key "profile"/);
  });

  it('reads piped standard input when no input is named', async () => {
    const run = await runCli(['scan', '--only', 'IM-01', '-f', 'json'], {
      stdin: POD('piped'),
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings[0].location).toEqual({ file: '<stdin>', line: 1 });
  });

  it('--help and --version exit 0', async () => {
    const help = await runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--fail-below <score>/);
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('locations', () => {
  it('point at the right object in a multi-document file', async () => {
    const { report } = await json(['noncompliant.yaml']);
    const lineOf = (kind: string, name: string) =>
      new Set(
        report.findings
          .filter(
            (f: any) => f.resource.kind === kind && f.resource.name === name,
          )
          .map((f: any) => `${f.location.file}:${f.location.line}`),
      );
    // The first key of each document (comments and `---` skipped).
    expect(lineOf('Namespace', 'legacy')).toEqual(
      new Set(['noncompliant.yaml:2']),
    );
    expect(lineOf('Deployment', 'legacy-web')).toEqual(
      new Set(['noncompliant.yaml:9']),
    );
    expect(lineOf('Service', 'legacy-web')).toEqual(
      new Set(['noncompliant.yaml:39']),
    );
    expect(lineOf('DaemonSet', 'node-logs')).toEqual(
      new Set(['noncompliant.yaml:52']),
    );
    const text = fs
      .readFileSync(path.join(FIXTURES, 'noncompliant.yaml'), 'utf8')
      .split('\n');
    expect(text[8]).toBe('apiVersion: apps/v1');
    expect(text[9]).toBe('kind: Deployment');
    expect(text[38]).toBe('apiVersion: v1');
    expect(text[39]).toBe('kind: Service');
  });

  it('follow List items in JSON and YAML, and name standard input <stdin>', async () => {
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'a', namespace: 'apps' },
          spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
        },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'b', namespace: 'apps' },
          spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
        },
      ],
    };
    const text = JSON.stringify(list, null, 2);
    const lines = text.split('\n');
    // Each item's first key: `"apiVersion": "v1",` inside the items array.
    const itemStarts = lines
      .map((l, i) => (i > 3 && l === '      "apiVersion": "v1",' ? i + 1 : 0))
      .filter(Boolean);
    expect(itemStarts).toHaveLength(2);
    const { report } = await json(['-', '--only', 'IM-01'], { stdin: text });
    const at = Object.fromEntries(
      report.findings.map((f: any) => [f.resource.name, f.location]),
    );
    expect(at.a).toEqual({ file: '<stdin>', line: itemStarts[0] });
    expect(at.b).toEqual({ file: '<stdin>', line: itemStarts[1] });
    expect(lines[at.a.line - 2].trim()).toBe('{');

    const yamlList = `apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: a\n    namespace: apps\n  spec:\n    containers:\n    - name: c\n      image: nginx:latest\n- metadata:\n    name: b\n    namespace: apps\n  spec:\n    containers:\n    - name: c\n      image: nginx:latest\n`;
    write('podlist.yaml', yamlList);
    const y = await json(['podlist.yaml', '--only', 'IM-01'], { cwd: tmp });
    expect(
      y.report.findings.map((f: any) => [f.resource.name, f.location.line]),
    ).toEqual([
      ['a', 4],
      ['b', 11],
    ]);
  });

  it('are relative to the working directory with forward slashes', async () => {
    write('nested/dir/pods.yaml', `${POD('one')}---\n${POD('two')}`);
    const { report } = await json(['nested', '--only', 'IM-01'], { cwd: tmp });
    expect(
      report.findings.map((f: any) => `${f.location.file}:${f.location.line}`),
    ).toEqual(['nested/dir/pods.yaml:1', 'nested/dir/pods.yaml:11']);
    expect(report.inputs.files).toEqual(['nested/dir/pods.yaml']);
  });

  it('walks folders for yaml, yml and json but not node_modules or .git', async () => {
    write('walk/a.yml', POD('a'));
    write(
      'walk/b.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'b', namespace: 'apps' },
        spec: { containers: [{ name: 'c', image: 'nginx:latest' }] },
      }),
    );
    write('walk/notes.txt', 'not scanned');
    write('walk/node_modules/x/pod.yaml', POD('skipped'));
    write('walk/.git/pod.yaml', POD('skipped2'));
    const { report } = await json(['walk', '--only', 'IM-01'], { cwd: tmp });
    expect(report.inputs.files).toEqual(['walk/a.yml', 'walk/b.json']);
    expect(report.findings.map((f: any) => f.resource.name)).toEqual([
      'a',
      'b',
    ]);
  });

  it('skips documents that are not Kubernetes objects and unrendered templates found in folders', async () => {
    write('chart/Chart.yaml', 'apiVersion: v2\nname: orders\nversion: 0.3.1\n');
    write(
      'chart/values.yaml',
      'replicaCount: 2\nimage:\n  repository: nginx\n',
    );
    write(
      'chart/templates/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . | nindent 4 }}\n',
    );
    write('chart/rendered/pod.yaml', POD('rendered'));
    const run = await runCli(
      ['scan', 'chart', '--only', 'IM-01', '-f', 'json'],
      { cwd: tmp },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.inputs.skipped.map((s: any) => s.file)).toEqual([
      'chart/Chart.yaml',
      'chart/templates/deployment.yaml',
      'chart/values.yaml',
    ]);
    expect(run.stderr).toMatch(
      /chart\/templates\/deployment\.yaml: skipped, a template/,
    );
    expect(report.findings.map((f: any) => f.resource.name)).toEqual([
      'rendered',
    ]);
  });
});

describe('engine options', () => {
  it('applies --namespace to objects without one', async () => {
    const { report } = await json(
      ['-', '--namespace', 'orders', '--only', 'IM-01'],
      {
        stdin: POD('x').replace('  namespace: apps\n', ''),
      },
    );
    expect(report.findings[0].resource).toEqual(
      expect.objectContaining({ namespace: 'orders', name: 'x' }),
    );
  });

  it('judges namespace rules from --namespace-labels', async () => {
    const stdin = POD('x').replace('nginx:latest', 'contoso.azurecr.io/a:1.0');
    // Without its Namespace object PS-01 cannot be decided on manifests...
    const none = await json(['-', '--only', 'PS-01'], { stdin });
    expect(none.report.findings.map((f: any) => f.status)).toEqual(['unknown']);
    // ...and another namespace's Namespace object does not change that:
    // the manifests only put a Pod into this one.
    const without = await json(['-', '--only', 'PS-01'], {
      stdin: `${OTHER_NAMESPACE}---\n${stdin}`,
    });
    expect(without.report.findings).toEqual([
      expect.objectContaining({
        status: 'unknown',
        resource: { kind: 'Namespace', name: 'apps' },
      }),
    ]);

    const weak = await json(
      [
        '-',
        '--only',
        'PS-01',
        '--namespace-labels',
        'pod-security.kubernetes.io/enforce=privileged',
      ],
      { stdin },
    );
    expect(weak.report.findings).toHaveLength(1);
    expect(weak.report.findings[0]).toEqual(
      expect.objectContaining({
        status: 'fail',
        resource: { kind: 'Namespace', name: 'apps' },
        // Located at the first object in that namespace.
        location: { file: '<stdin>', line: 1 },
      }),
    );

    const good = await json(
      [
        '-',
        '--only',
        'PS-01',
        '--namespace-labels',
        'pod-security.kubernetes.io/enforce=baseline,pod-security.kubernetes.io/audit=baseline',
        '--namespace-labels',
        'pod-security.kubernetes.io/warn=restricted',
      ],
      { stdin },
    );
    expect(good.report.findings).toEqual([]);
    expect(good.report.score.score).toBe(100);
  });

  it('forces the profile with --profile', async () => {
    const stdin = POD('x', '\n      imagePullPolicy: Always').replace(
      'nginx:latest',
      'contoso.azurecr.io/a:1.0',
    );
    const dev = await json(['-', '--only', 'IM-02'], { stdin });
    expect(dev.report.findings.filter((f: any) => f.status === 'fail')).toEqual(
      [],
    );
    const prod = await json(
      ['-', '--only', 'IM-02', '--profile', 'production'],
      { stdin },
    );
    expect(prod.report.profile).toBe('production');
    expect(prod.report.findings.map((f: any) => [f.ruleId, f.status])).toEqual([
      ['container-image-pull-policy-if-not-present', 'fail'],
    ]);
  });

  it('--only and --skip select rules by id or baseline key', async () => {
    const only = await json(['noncompliant.yaml', '--only', 'PS-07']);
    expect(
      new Set(only.report.findings.map((f: any) => f.baselineRef)),
    ).toEqual(new Set(['PS-07']));
    const skip = await json([
      'noncompliant.yaml',
      '--skip',
      'container-not-privileged,PS-02',
    ]);
    const ids = skip.report.findings.map((f: any) => f.ruleId);
    expect(ids).not.toContain('container-not-privileged');
    expect(ids).not.toContain('container-run-as-non-root');
    expect(ids).toContain('container-no-privilege-escalation');
  });

  it('reads a full snapshot: az aks show plus a kubectl get -A dump (cluster mode)', async () => {
    const aks = path.join(ENGINE_FIXTURES, 'azure/aks-show-typical.json');
    const dump = path.join(
      ENGINE_FIXTURES,
      'kubernetes/noncompliant-legacy-web.json',
    );
    const { report } = await json(['--aks', aks, '--kubectl', dump], {
      cwd: tmp,
    });
    expect(report.mode).toBe('cluster');
    expect(report.cluster).toEqual(expect.any(String));
    // Outside the working directory: absolute paths.
    const aksFile = aks.split(path.sep).join('/');
    const clusterFinding = report.findings.find(
      (f: any) => f.status === 'fail' && f.resource.kind === 'ManagedCluster',
    );
    expect(clusterFinding.location.file).toBe(aksFile);
    const poolFinding = report.findings.find(
      (f: any) => f.status === 'fail' && f.resource.kind === 'AgentPool',
    );
    expect(poolFinding.location.file).toBe(aksFile);
    // The reported line is the first key of that pool's entry: its `name`
    // is a sibling key at the same indentation further down.
    const lines = fs.readFileSync(aks, 'utf8').split('\n');
    const first = lines[poolFinding.location.line - 1];
    const indent = first.length - first.trimStart().length;
    const nameLine = lines
      .slice(poolFinding.location.line - 1)
      .find(
        l =>
          l.length - l.trimStart().length === indent &&
          l.trimStart().startsWith('"name"'),
      );
    expect(nameLine).toContain(`"${poolFinding.resource.name}"`);
    // Manual checklist items appear for a cluster.
    expect(report.findings.some((f: any) => f.status === 'manual')).toBe(true);
    const kubeFinding = report.findings.find(
      (f: any) => f.status === 'fail' && f.resource.kind === 'Deployment',
    );
    expect(kubeFinding.location.file).toBe(dump.split(path.sep).join('/'));
  });

  it('places agent pool findings at their entry in YAML az output that is not the first document', async () => {
    const aks = JSON.parse(
      fs.readFileSync(
        path.join(ENGINE_FIXTURES, 'azure/aks-show-typical.json'),
        'utf8',
      ),
    );
    const pools = aks.agentPoolProfiles.map((p: any) => p.name);
    // az aks show -o yaml, after a Deployment in the same stream.
    const yamlText = `${POD('web')}---\n${stringify(aks)}`;
    write('az-show.yaml', yamlText);
    const { report } = await json(
      ['az-show.yaml', '--only', 'CL-02,CL-09,CL-11,CL-14,CL-15,CL-18'],
      {
        cwd: tmp,
      },
    );
    const lines = yamlText.split('\n');
    const placed = report.findings.filter(
      (f: any) => f.resource.kind === 'AgentPool',
    );
    expect(placed.length).toBeGreaterThan(0);
    for (const f of placed) {
      expect(pools).toContain(f.resource.name);
      // The pool's own entry: its name is on the line or among the next ones at the same indentation.
      const entry = lines.slice(f.location.line - 1, f.location.line + 40);
      const indent =
        entry[0].length - entry[0].trimStart().replace(/^- /, '').length;
      expect(
        entry.some(
          l =>
            l.length - l.trimStart().replace(/^- /, '').length === indent &&
            l.trimStart().replace(/^- /, '') === `name: ${f.resource.name}`,
        ),
      ).toBe(true);
      expect(lines[f.location.line - 1]).toMatch(/^\s*- /);
    }
  });

  it('2 for a malformed az aks show document, at its file and line', async () => {
    const aks = JSON.parse(
      fs.readFileSync(
        path.join(ENGINE_FIXTURES, 'azure/aks-show-typical.json'),
        'utf8',
      ),
    );
    write(
      'bad-aks.yaml',
      `${POD('web')}---\n${stringify({ ...aks, aadProfile: 0 })}`,
    );
    const run = await runCli(['scan', 'bad-aks.yaml'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'aks-baseline: bad-aks.yaml:11: aadProfile: expected an object, found number 0\n',
    );
    // The error carries its place, as every input error does.
    await expect(
      scan({ inputs: ['bad-aks.yaml'], cwd: tmp, readStdin: async () => '' }),
    ).rejects.toMatchObject({ file: 'bad-aks.yaml', line: 11 });
  });

  it('detects az aks show output among the inputs', async () => {
    const aks = path.join(ENGINE_FIXTURES, 'azure/aks-show-typical.json');
    const { report } = await json(
      [aks, path.join(FIXTURES, 'noncompliant.yaml')],
      { cwd: tmp },
    );
    expect(report.mode).toBe('manifests');
    expect(report.cluster).toEqual(expect.any(String));
    expect(
      report.findings.some(
        (f: any) => f.resource.kind === 'ManagedCluster' && f.status === 'fail',
      ),
    ).toBe(true);
  });

  it('writes the report to --output and a summary to standard error', async () => {
    const out = path.join(tmp, 'reports/result.sarif');
    const run = await runCli([
      'scan',
      'noncompliant.yaml',
      '-f',
      'sarif',
      '-o',
      out,
      '--fail-on',
      'critical',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /score 51\/100 \(F\); 4 objects evaluated in 1 file, 0 skipped, 0 ignored; checks \d+ passed, 16 failed .*; gate FAILED: 1 critical finding .*; wrote .*result\.sarif/,
    );
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('lists the rules', async () => {
    const run = await runCli(['rules', '--format', 'json']);
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout);
    expect(rules.find((r: any) => r.id === 'container-not-privileged')).toEqual(
      expect.objectContaining({ baselineRef: 'PS-07', severity: 'critical' }),
    );
  });

  it('uses colours only on a terminal', async () => {
    const plain = await runCli(['scan', 'noncompliant.yaml']);
    expect(plain.stdout.includes('\u001b[')).toBe(false);
  });
});

describe('bin/aks-baseline', () => {
  // The real entry point, as CI runs it: a separate Node process that loads
  // the TypeScript sources through the (cached) transform.
  const bin = path.resolve(FIXTURES, '../../bin/aks-baseline');

  it('scans and sets the exit code', () => {
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'scan',
        'noncompliant.yaml',
        '--format',
        'json',
        '--fail-on',
        'critical',
      ],
      { cwd: FIXTURES, encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).gate.passed).toBe(false);
  });

  it('exits 2 on a usage error', () => {
    const run = spawnSync(
      process.execPath,
      [bin, 'scan', '--format', 'xml', 'x'],
      {
        cwd: FIXTURES,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /Allowed choices are table, json, sarif, junit, markdown/,
    );
  });
});
