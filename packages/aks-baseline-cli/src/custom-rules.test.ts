/*
 * `--rules <module>`: a platform team's rules run by the CLI as by the
 * portal and the scaffolder's gate, on the custom resources they read. The
 * worked example (examples/custom-rule) is loaded by its package name, as
 * a pipeline that installed it would.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NOW, runCli } from './testing';

const EXAMPLE = '@internal/aks-baseline-example-custom-rule';
const EXAMPLE_DIR = path.dirname(require.resolve(`${EXAMPLE}/package.json`));
const MANIFESTS = path.join(EXAMPLE_DIR, 'fixtures/manifests');
const CLUSTERS = path.resolve(__dirname, '../../../examples/clusters');
const RULE_ID = 'flux-helmrelease-chart-pinned';
/** For modules written outside the repository: the example by its file. */
const REQUIRE_EXAMPLE = `require(${JSON.stringify(require.resolve(EXAMPLE))})`;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-rules-'));
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

const failing = (report: any) =>
  report.findings.filter((f: any) => f.status === 'fail');

async function scanJson(args: string[], cwd = MANIFESTS) {
  const run = await runCli(
    ['scan', ...args, '--format', 'json', '--now', NOW],
    { cwd },
  );
  if (run.code === 2) throw new Error(run.stderr);
  return { ...run, report: JSON.parse(run.stdout) };
}

/** The example's rule, re-exported by a module in one of the shapes accepted. */
const MODULE_SHAPES: Array<[string, string]> = [
  ['module.exports = an array', `module.exports = ${REQUIRE_EXAMPLE}.rules;`],
  [
    'a default export that is an array',
    `exports.__esModule = true; exports.default = ${REQUIRE_EXAMPLE}.rules;`,
  ],
  [
    'a default export that is the rules service factory',
    `exports.__esModule = true; exports.default = ${REQUIRE_EXAMPLE}.default;`,
  ],
];

describe('scan --rules', () => {
  it('runs the example package’s rule on its HelmRelease, placed at its line, and fails the gate', async () => {
    const { code, report } = await scanJson([
      '.',
      '--rules',
      EXAMPLE,
      '--fail-on',
      'medium',
    ]);
    expect(code).toBe(1);
    // The HelmRelease's namespace is a subject too (not among the manifests:
    // its rules unknown).
    expect(failing(report)).toEqual([
      expect.objectContaining({
        ruleId: RULE_ID,
        baselineRef: 'GO-01',
        status: 'fail',
        severity: 'medium',
        message:
          'HelmRelease podinfo asks for chart version ">=6.0.0", a range',
        resource: expect.objectContaining({
          kind: 'HelmRelease',
          namespace: 'shop',
          name: 'podinfo',
        }),
        location: { file: 'podinfo.yaml', line: 13 },
        evidence: [
          expect.objectContaining({
            path: 'spec.chart.spec.version',
            value: '>=6.0.0',
          }),
        ],
      }),
    ]);
    expect(report.rules.map((r: any) => r.id)).toContain(RULE_ID);
    // The HelmRelease is evaluated; its HelmRepository no rule reads.
    expect(report.inputs.objects).toBe(1);
    expect(report.inputs.ignoredKinds).toEqual({ HelmRepository: 1 });
    expect(report.inputs.skipped).toEqual([]);
  });

  it('without it, the HelmRelease is a kind no rule reads: ignored and counted, never judged compliant', async () => {
    const { code, report } = await scanJson(['.', '--fail-on', 'medium']);
    expect(report.findings).toEqual([]);
    expect(report.rules.map((r: any) => r.id)).not.toContain(RULE_ID);
    expect(report.inputs.objects).toBe(0);
    expect(report.inputs.ignoredKinds).toEqual({
      HelmRelease: 1,
      HelmRepository: 1,
    });
    expect(report.score.score).toBeNull();
    // Nothing judged: the gate fails closed.
    expect(code).toBe(1);
  });

  it('passes a pinned chart, the package given by its folder', async () => {
    write(
      'pinned/podinfo.yaml',
      fs
        .readFileSync(path.join(MANIFESTS, 'podinfo.yaml'), 'utf8')
        .replace("'>=6.0.0'", '6.7.1'),
    );
    const { code, report } = await scanJson(
      ['pinned', '--rules', EXAMPLE_DIR, '--fail-on', 'low'],
      tmp,
    );
    expect(code).toBe(0);
    expect(failing(report)).toEqual([]);
    expect(report.score.totals).toMatchObject({ passed: 1, failed: 0 });
  });

  it.each(MODULE_SHAPES)(
    'loads a module by path whose rules are %s',
    async (_shape, source) => {
      const name = `shape-${MODULE_SHAPES.findIndex(s => s[1] === source)}.cjs`;
      write(name, source);
      const { report } = await scanJson([
        '.',
        '--rules',
        path.relative(MANIFESTS, path.join(tmp, name)),
      ]);
      expect(failing(report).map((f: any) => f.ruleId)).toEqual([RULE_ID]);
    },
  );

  it('takes custom rule ids in --only, --skip and the configuration', async () => {
    const only = await scanJson(['.', '--rules', EXAMPLE, '--only', 'GO-01']);
    expect(only.report.rules.map((r: any) => r.id)).toEqual([RULE_ID]);
    const skipped = await scanJson([
      '.',
      '--rules',
      EXAMPLE,
      '--skip',
      RULE_ID,
    ]);
    expect(failing(skipped.report)).toEqual([]);
    expect(skipped.report.rules.map((r: any) => r.id)).not.toContain(RULE_ID);

    const config = write(
      'config.yaml',
      `rules:\n  ${RULE_ID}:\n    severity: critical\n`,
    );
    const raised = await scanJson(['.', '--rules', EXAMPLE, '-c', config]);
    expect(failing(raised.report)).toEqual([
      expect.objectContaining({ ruleId: RULE_ID, severity: 'critical' }),
    ]);
    // Without the rules, the configuration names a rule nobody provides.
    const refused = await runCli(['scan', '.', '-c', config], {
      cwd: MANIFESTS,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(RULE_ID);
  });

  it('reads the custom resources of a cluster snapshot folder', async () => {
    const dir = path.join(tmp, 'snapshot');
    fs.cpSync(path.join(CLUSTERS, 'aks-prod-westeurope'), dir, {
      recursive: true,
    });
    fs.copyFileSync(
      path.join(EXAMPLE_DIR, 'fixtures/helmreleases.json'),
      path.join(dir, 'flux-helmreleases.json'),
    );
    const { report } = await scanJson(
      ['snapshot', '--rules', EXAMPLE_DIR],
      tmp,
    );
    const flux = report.findings.filter((f: any) => f.ruleId === RULE_ID);
    expect(flux.length).toBeGreaterThan(0);
    expect(flux[0].location.file).toBe(
      path.join('snapshot', 'flux-helmreleases.json'),
    );
    expect(
      Object.keys(report.inputs.ignoredKinds).filter(k =>
        k.startsWith('HelmRelease'),
      ),
    ).toEqual([]);
  });

  describe('refuses, naming the module', () => {
    async function refused(source: string | undefined, module?: string) {
      const spec =
        module ?? `./refused-${Math.random().toString(36).slice(2)}.cjs`;
      if (source !== undefined) write(spec, source);
      const run = await runCli(['scan', '.', '--rules', spec], { cwd: tmp });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      return run.stderr;
    }

    it('a module that cannot be found', async () => {
      expect(await refused(undefined, './missing-rules.js')).toMatch(
        /--rules \.\/missing-rules\.js: cannot find the module .*missing-rules\.js/,
      );
      expect(await refused(undefined, '@contoso/no-such-rules')).toMatch(
        /--rules @contoso\/no-such-rules: cannot find the package "@contoso\/no-such-rules"/,
      );
    });

    it('a module that throws while loading', async () => {
      expect(await refused("throw new Error('boom');")).toMatch(
        /: loading .*\.cjs failed: boom/,
      );
    });

    it('a module without rules, or with an empty list', async () => {
      expect(await refused('exports.helper = 1;')).toMatch(
        /exports no rules: export `rules`/,
      );
      expect(await refused('exports.rules = {};')).toMatch(
        /its `rules` export is not an array/,
      );
      expect(await refused('exports.rules = [];')).toMatch(
        /exports an empty list of rules/,
      );
    });

    it('a Backstage backend feature that is not the rules factory', async () => {
      expect(
        await refused(
          `exports.default = { $$type: '@backstage/BackendFeature', featureType: 'registrations' };`,
        ),
      ).toMatch(/default export is a Backstage backend feature, not rules/);
    });

    it('a rule the engine cannot run, or an id the catalog already uses', async () => {
      const rule = `{ ...${REQUIRE_EXAMPLE}.helmReleaseChartPinned, id: 'my-rule', severity: 'urgent' }`;
      expect(await refused(`exports.rules = [${rule}];`)).toMatch(
        /Rule my-rule: severity "urgent" is not one of critical, high, medium, low/,
      );
      expect(
        await refused(
          `exports.rules = [{ ...${REQUIRE_EXAMPLE}.helmReleaseChartPinned, id: 'container-run-as-non-root' }];`,
        ),
      ).toMatch(/Rule container-run-as-non-root: is defined twice/);
      expect(await refused('exports.rules = [{ title: "x" }];')).toMatch(
        /Rule #1: has no id/,
      );
    });
  });
});

describe('rules --rules', () => {
  it('lists the custom rules after the catalog', async () => {
    const run = await runCli(
      ['rules', '--format', 'json', '--rules', EXAMPLE],
      { cwd: MANIFESTS },
    );
    expect(run.code).toBe(0);
    const rules = JSON.parse(run.stdout);
    expect(rules[rules.length - 1]).toMatchObject({
      id: RULE_ID,
      baselineRef: 'GO-01',
      scope: 'object',
    });
  });
});
