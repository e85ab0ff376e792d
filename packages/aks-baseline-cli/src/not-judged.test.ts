/*
 * Never a false pass: every object read is judged or reported (on standard
 * error and in every format), every format says how much was judged, and a
 * gate fails closed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sarifValidator } from './__testUtils__/sarif';
import { NOW, runCli } from './testing';

const ROOT = path.resolve(__dirname, '../../..');
const DEV = path.join(ROOT, 'examples/clusters/aks-dev-koreacentral');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-not-judged-'));
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

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: apps
spec:
  containers:
    - name: c
      image: contoso.azurecr.io/web:1.0
`;
/** A kind the rules read (Gateway API), in its alpha group the engine does not evaluate. */
const GATEWAY_ALPHA = `apiVersion: networking.x-k8s.io/v1alpha1
kind: Gateway
metadata:
  name: edge
  namespace: apps
spec:
  gatewayClassName: azure
`;
const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: apps
data:
  mode: fast
`;
const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: apps
stringData:
  password: hunter2-never-shown
`;
/** A Deployment of another tool's API group: not a Kubernetes Deployment. */
const FOREIGN_DEPLOYMENT = `apiVersion: apps.example.com/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: c
          image: nginx:latest
          securityContext:
            privileged: true
`;

const FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;

describe('objects that are not evaluated', () => {
  const file = 'mixed/app.yaml';
  const text = [POD, CONFIG_MAP, SECRET, GATEWAY_ALPHA].join('---\n');
  // The Gateway's first line: 9 (Pod) + 1 + 7 (ConfigMap) + 1 + 8 (Secret) + 1 + 1.
  const GATEWAY_LINE = 27;
  beforeAll(() => {
    write(file, text);
  });
  const scan = (format: string) =>
    runCli(['scan', file, '--format', format, '--now', NOW], { cwd: tmp });

  it('are listed on standard error with file, line and reason; Secret values never', async () => {
    expect(text.split('\n')[GATEWAY_LINE - 1]).toBe(
      'apiVersion: networking.x-k8s.io/v1alpha1',
    );
    const run = await runCli(['scan', file], { cwd: tmp });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `aks-baseline: ${file}:${GATEWAY_LINE}: skipped, Gateway apps/edge: apiVersion networking.x-k8s.io/v1alpha1 is not evaluated (the rules read Gateway as gateway.networking.k8s.io/v1)\n`,
    );
    for (const format of FORMATS) {
      expect((await scan(format)).stdout).not.toContain('hunter2');
    }
  });

  it.each(['table', 'markdown'])(
    'are in the %s report: skipped with their place and reason, ignored kinds counted',
    async format => {
      const { code, stdout } = await scan(format);
      expect(code).toBe(0);
      expect(stdout).toContain(`${file}:${GATEWAY_LINE}`);
      expect(stdout).toContain('apiVersion networking.x-k8s.io/v1alpha1');
      expect(stdout).toContain('Skipped, not judged (1)');
      expect(stdout).toContain(
        '1 object evaluated in 1 file · 1 skipped · 2 ignored (kinds no rule reads: ConfigMap 1, Secret 1)',
      );
    },
  );

  it('are in the JSON report', async () => {
    const report = JSON.parse((await scan('json')).stdout);
    expect(report.inputs.skipped).toEqual([
      {
        file,
        line: GATEWAY_LINE,
        reason: expect.stringMatching(/^Gateway apps\/edge: apiVersion/),
        object: {
          kind: 'Gateway',
          apiVersion: 'networking.x-k8s.io/v1alpha1',
          namespace: 'apps',
          name: 'edge',
        },
      },
    ]);
    expect(report.inputs.ignoredKinds).toEqual({ ConfigMap: 1, Secret: 1 });
    expect(report.judged).toEqual(
      expect.objectContaining({ objects: 1, skipped: 1, ignored: 2 }),
    );
  });

  it('are in the SARIF report, which stays valid', async () => {
    const sarif = JSON.parse((await scan('sarif')).stdout);
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    const run = sarif.runs[0];
    const notJudged = run.results.filter(
      (r: any) => r.ruleId === 'input-not-judged',
    );
    expect(notJudged).toEqual([
      expect.objectContaining({
        kind: 'review',
        level: 'none',
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: file },
              region: { startLine: GATEWAY_LINE },
            },
          },
        ],
      }),
    ]);
    expect(run.tool.driver.rules[notJudged[0].ruleIndex].id).toBe(
      'input-not-judged',
    );
    expect(run.properties.ignoredKinds).toEqual({ ConfigMap: 1, Secret: 1 });
    expect(run.properties.judged.skipped).toBe(1);
  });

  it('are skipped testcases in the JUnit report', async () => {
    const { stdout } = await scan('junit');
    expect(stdout).toContain(
      `<testcase name="Gateway apps/edge: not judged" classname="${file}" file="${file}" line="${GATEWAY_LINE}">`,
    );
    expect(stdout).toMatch(
      /<testcase name="ConfigMap: 1 object ignored" classname="\(not judged\)">\s*<skipped /,
    );
    expect(stdout).toContain('name="Secret: 1 object ignored"');
    const byCategory = await runCli(
      ['scan', file, '-f', 'junit', '--junit-group', 'category'],
      { cwd: tmp },
    );
    expect(byCategory.stdout).toMatch(
      /<testsuite name="\(not judged\)" tests="3" failures="0" errors="0" skipped="3">\s*<testcase name="Gateway apps\/edge: not judged" classname="\(not judged\)" file="mixed\/app\.yaml" line="27">/,
    );
  });

  it('standard error lists the first 20 and counts the rest', async () => {
    const docs = Array.from({ length: 25 }, (_, i) => `note: ${i}\n`);
    const run = await runCli(['scan', '-', '-f', 'json'], {
      stdin: `${POD}---\n${docs.join('---\n')}`,
    });
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe(
      'aks-baseline: <stdin>:11: skipped, not a Kubernetes object (no kind)',
    );
    expect(lines[20]).toBe(
      'aks-baseline: … and 5 more skipped (25 in all; the report lists every one)',
    );
    expect(JSON.parse(run.stdout).inputs.skipped).toHaveLength(25);
  });
});

describe('an object without apiVersion', () => {
  it('is skipped at its line with the reason, as kubectl refuses it, and the gate fails closed', async () => {
    const file = 'no-api-version/app.yaml';
    write(
      file,
      [POD, POD.replace('apiVersion: v1\n', '').replace('web', 'worker')].join(
        '---\n',
      ),
    );
    const run = await runCli(
      ['scan', file, '--fail-on', 'critical', '-f', 'json', '--now', NOW],
      { cwd: tmp },
    );
    expect(run.stderr).toBe(
      `aks-baseline: ${file}:11: skipped, Pod apps/worker: apiVersion is missing: kubectl refuses an object without one (write apiVersion: v1)\n`,
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.judged).toEqual(
      expect.objectContaining({ objects: 1, skipped: 1 }),
    );
    expect(report.inputs.skipped).toEqual([
      expect.objectContaining({
        file,
        line: 11,
        object: { kind: 'Pod', namespace: 'apps', name: 'worker' },
      }),
    ]);
  });
});

describe('checks not made for want of objects', () => {
  const file = 'one-pod/pod.yaml';
  beforeAll(() => {
    write(file, POD);
  });
  const scan = (format: string) =>
    runCli(['scan', file, '-f', format, '--now', NOW], { cwd: tmp });

  it('are one block per namespace in the table and in Markdown, one finding per rule elsewhere', async () => {
    const report = JSON.parse((await scan('json')).stdout);
    const notProvided = report.findings.filter(
      (f: any) => f.status === 'unknown' && f.resource.kind === 'Namespace',
    );
    expect(notProvided.length).toBeGreaterThan(3);
    const refs = notProvided.map((f: any) => f.baselineRef);

    const table = (await scan('table')).stdout;
    expect(table.match(/UNKNOWN/g)).toHaveLength(1);
    expect(table).toContain(`    UNKNOWN  ${refs.join(', ')}\n`);
    expect(table).toMatch(
      /Not judged in namespace apps: [A-Za-z, ]*\bNetworkPolicy\b[A-Za-z, ]* not among the manifests \(\d+ checks? not made; the cluster may hold them\)\n/,
    );
    expect(table).toContain('Namespace');
    expect(table).toContain(
      'to judge them: include them in the scan, or give the Namespace with --namespace-context',
    );
    expect(table).not.toContain('are among the manifests: the cluster may');

    const markdown = (await scan('markdown')).stdout;
    const rows = markdown.split('\n').filter(l => l.startsWith('| unknown |'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`| ${refs.join(', ')} | Namespace apps |`);
    expect(rows[0]).toContain('Not judged in namespace apps:');
    // The summary still counts each finding.
    expect(markdown).toContain(
      `Unknown: could not be decided (${report.counts.unknown})`,
    );
  });

  it('other unknowns keep their own line', async () => {
    write(
      'one-pod/pdb.yaml',
      'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: odd\n  namespace: apps\nspec:\n  minAvailable: 150%\n  selector:\n    matchLabels:\n      app: web\n',
    );
    const run = await runCli(
      ['scan', 'one-pod', '--only', 'HA-03', '--now', NOW],
      { cwd: tmp },
    );
    expect(run.stdout).toMatch(/UNKNOWN {2}HA-03 {2}pdb-allows-evictions\n/);
  });
});

describe('the gate fails closed', () => {
  it('1 when nothing scorable was judged', async () => {
    // Only kinds no rule reads, and a Deployment of another tool's API.
    const stdin = `${CONFIG_MAP}---\n${FOREIGN_DEPLOYMENT}`;
    const run = await runCli(['scan', '-', '--fail-below', '80'], { stdin });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'No findings, and nothing scorable was judged.',
    );
    expect(run.stdout).toContain(
      'Gate: FAILED: nothing scorable was judged (0 objects evaluated, no check passed or failed)',
    );
    expect(run.stdout).toContain(
      '0 objects evaluated in 1 file · 0 skipped · 2 ignored (kinds no rule reads: ConfigMap 1, Deployment (apps.example.com/v1) 1)',
    );
    const failOn = await runCli(['scan', '-', '--fail-on', 'low'], { stdin });
    expect(failOn.code).toBe(1);
    // --allow-skipped does not make nothing into a pass.
    const allowed = await runCli(
      ['scan', '-', '--fail-below', '0', '--allow-skipped'],
      { stdin },
    );
    expect(allowed.code).toBe(1);
    // Without a gate the scan only reports.
    const report = await runCli(['scan', '-'], { stdin });
    expect(report.code).toBe(0);
  });

  it('1 when an input was skipped, unless --allow-skipped, which the summary names', async () => {
    const gateway = write('gate/gateway.yaml', GATEWAY_ALPHA);
    const args = ['scan', 'compliant-app', gateway, '--fail-below', '50'];
    const strict = await runCli(args);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(
      'Gate: FAILED: 1 input skipped, not judged (listed in the report; --allow-skipped accepts them)',
    );
    // The option is named when used, whatever the outcome.
    const stillFailing = await runCli([
      ...args,
      '--allow-skipped',
      '--fail-below',
      '100',
      '--fail-on-unknown',
    ]);
    expect(stillFailing.code).toBe(1);
    expect(stillFailing.stdout).toMatch(
      /Gate: FAILED: 1 medium unknown finding \(could not be decided\) with --fail-on-unknown; --allow-skipped: 1 skipped, not judged\n$/,
    );
    const failOn = await runCli([
      'scan',
      'compliant-app',
      gateway,
      '--fail-on',
      'critical',
      '-f',
      'json',
    ]);
    expect(failOn.code).toBe(1);
    expect(JSON.parse(failOn.stdout).gate).toEqual({
      passed: false,
      failOn: 'critical',
      reasons: [expect.stringMatching(/^1 input skipped/)],
    });

    const allowed = await runCli([...args, '--allow-skipped']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(
      /Gate: passed \(score ≥ 50\); --allow-skipped: 1 skipped, not judged; 1 unknown finding not gated \(--fail-on-unknown\)\n$/,
    );
    // Without anything skipped the same gate passes without the option.
    const clean = await runCli(['scan', 'compliant-app', '--fail-below', '50']);
    expect(clean.code).toBe(0);
  });
});

describe('how much was judged', () => {
  it('a category without a passed or failed check is not judged, never 100', async () => {
    // A Pod alone: no NetworkPolicy, so networking is not judged.
    const stdin = POD;
    const table = await runCli(['scan', '-'], { stdin });
    expect(table.stdout).toMatch(/^ {2}(.* · )?Networking not judged( · |\n)/m);
    expect(table.stdout).not.toMatch(/Networking \d/);
    const md = await runCli(['scan', '-', '-f', 'markdown'], { stdin });
    expect(md.stdout).toMatch(/^\| Networking \| not judged \| 0 \| 0 \|/m);
    const json = JSON.parse(
      (await runCli(['scan', '-', '-f', 'json'], { stdin })).stdout,
    );
    const networking = json.score.categories.find(
      (c: any) => c.category === 'networking',
    );
    expect(networking).toEqual(
      expect.objectContaining({ score: null, passed: 0, failed: 0 }),
    );
    expect(json.judged.checks).toEqual({
      passed: json.score.totals.passed,
      failed: json.score.totals.failed,
      waived: json.score.totals.waived,
      unknown: json.score.totals.unknown,
      notApplicable: json.score.totals.notApplicable,
    });
  });

  it('the Markdown heading ticks only a gate that was set and passed', async () => {
    const heading = async (args: string[]) =>
      (
        await runCli(['scan', ...args, '-f', 'markdown', '--now', NOW])
      ).stdout.split('\n')[0];
    expect(await heading(['noncompliant.yaml'])).toMatch(
      /^## AKS baseline: \d+\/100 \(F\)$/,
    );
    expect(
      await heading(['noncompliant.yaml', '--fail-on', 'critical']),
    ).toMatch(/^## ❌ AKS baseline: /);
    expect(await heading(['compliant-app', '--fail-below', '90'])).toBe(
      '## ✅ AKS baseline: 100/100 (A)',
    );
  });
});

describe('a cluster snapshot folder', () => {
  it('mounted from a ConfigMap (every file a link into ..data) is read like a plain copy, by the same file list', async () => {
    const mount = path.join(tmp, 'configmap-mount');
    const stamped = path.join(mount, '..2026_01_15_00_00_00.000000001');
    fs.mkdirSync(stamped, { recursive: true });
    for (const name of fs.readdirSync(DEV)) {
      fs.copyFileSync(path.join(DEV, name), path.join(stamped, name));
      fs.symlinkSync(path.join('..data', name), path.join(mount, name));
    }
    fs.symlinkSync(path.basename(stamped), path.join(mount, '..data'));
    const scan = async (dir: string) => {
      const run = await runCli(['scan', dir, '-f', 'json', '--now', NOW], {
        cwd: tmp,
      });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout);
    };
    const linked = await scan('configmap-mount');
    const plain = await scan(DEV);
    expect(linked.score).toEqual(plain.score);
    expect(linked.judged).toEqual(plain.judged);
    expect(linked.inputs.files).toEqual(
      plain.inputs.files.map(
        (f: string) => `configmap-mount/${path.basename(f)}`,
      ),
    );
    const place = (r: any) =>
      r.findings.map(
        (f: any) =>
          `${f.ruleId} ${f.resource.kind}/${f.resource.name} ${
            f.location
              ? `${path.basename(f.location.file)}:${f.location.line}`
              : '-'
          }`,
      );
    expect(place(linked)).toEqual(place(plain));
    // A broken link in the folder: the snapshot is refused, naming it.
    fs.symlinkSync('gone.json', path.join(mount, 'extra.json'));
    const broken = await runCli(['scan', 'configmap-mount'], { cwd: tmp });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(
      'configmap-mount: cannot read extra.json (a broken symbolic link (its target gone.json does not exist))',
    );
  });

  it('is read as the portal reads it: ARM files included, findings at their lines', async () => {
    const shown = 'examples/clusters/aks-dev-koreacentral';
    const run = await runCli(['scan', shown, '-f', 'json', '--now', NOW], {
      cwd: ROOT,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.mode).toBe('cluster');
    expect(report.cluster).toBe('aks-dev-koreacentral');
    expect(report.inputs.snapshot).toBe(shown);
    expect(report.inputs.skipped).toEqual([]);
    // The upgrade profile and the versions are read: CL-17 is judged.
    const cl17 = report.findings.filter((f: any) => f.baselineRef === 'CL-17');
    expect(cl17.map((f: any) => f.status)).not.toContain('unknown');
    // A workload finding points at its object in its file.
    const legacy = report.findings.find(
      (f: any) => f.status === 'fail' && f.resource.name === 'legacy-web',
    );
    const legacyFile = path.join(DEV, 'legacy-web.json');
    expect(legacy.location.file).toBe(`${shown}/legacy-web.json`);
    const line = fs
      .readFileSync(legacyFile, 'utf8')
      .split('\n')
      .slice(legacy.location.line - 1)
      .join('\n');
    expect(line).toMatch(
      /^\s*"apiVersion": "apps\/v1",\s*\n\s*"kind": "Deployment"/,
    );
  });

  it('is read alone: 2 with other inputs or manifest options', async () => {
    const withOther = await runCli(['scan', DEV, 'noncompliant.yaml']);
    expect(withOther.code).toBe(2);
    expect(withOther.stderr).toMatch(
      /a cluster snapshot folder is read alone, as the portal reads it: scan it without noncompliant\.yaml/,
    );
    const withNamespace = await runCli(['scan', DEV, '-n', 'orders']);
    expect(withNamespace.code).toBe(2);
    expect(withNamespace.stderr).toMatch(/without --namespace/);
  });

  it('kinds its coverage says could not be read fail the gate unless --allow-skipped', async () => {
    const copy = path.join(tmp, 'snapshot');
    fs.cpSync(DEV, copy, { recursive: true });
    write(
      'snapshot/coverage.json',
      JSON.stringify({
        unreadable: { ClusterRoleBinding: 'forbidden (403)' },
      }),
    );
    const run = await runCli(['scan', 'snapshot', '--fail-below', '10'], {
      cwd: tmp,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 kind unreadable (ClusterRoleBinding)');
    expect(run.stdout).toContain(
      '1 kind could not be read (ClusterRoleBinding; --allow-skipped accepts them)',
    );
    const allowed = await runCli(
      [
        'scan',
        'snapshot',
        '--fail-below',
        '10',
        '--allow-skipped',
        '-f',
        'json',
      ],
      { cwd: tmp },
    );
    expect(allowed.code).toBe(0);
    const report = JSON.parse(allowed.stdout);
    expect(report.inputs.unreadable).toEqual({
      ClusterRoleBinding: 'forbidden (403)',
    });
    expect(report.gate).toEqual(
      expect.objectContaining({ passed: true, allowSkipped: true }),
    );
  });
});
