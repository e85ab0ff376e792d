/*
 * aks-baseline:fix on a workspace holding the CLI's fix fixture (multi-
 * document YAML with comments and flow maps, rendered Helm output, a JSON
 * file, an unrendered chart) and the golden noncompliant manifests.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { scoreObjects } from '../score';
import { testSettings } from '../__testUtils__/settings';
import { createFixAction } from './fixManifests';

const CLI_FIXTURES = join(
  __dirname,
  '../../../../packages/aks-baseline-cli/src/__fixtures__',
);

function filesUnder(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory())
      Object.assign(out, filesUnder(full, base));
    else
      out[relative(base, full).split(sep).join('/')] = readFileSync(
        full,
        'utf8',
      );
  }
  return out;
}

const FIX_FIXTURE = filesUnder(join(CLI_FIXTURES, 'fix'));

describe('aks-baseline:fix', () => {
  const dir = createMockDirectory();
  const action = createFixAction({ settings: testSettings() });

  beforeEach(() => dir.clear());

  function workspace(): Record<string, string> {
    return filesUnder(dir.path);
  }

  async function run(input: Record<string, unknown>, isDryRun = false) {
    // createMockActionContext drops isDryRun: set it on the context.
    const ctx = {
      ...createMockActionContext({
        input: input as any,
        workspacePath: dir.path,
      }),
      isDryRun,
    };
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls) as any;
  }

  function score(files: Record<string, string>, folder: string) {
    return scoreObjects(
      Object.entries(files)
        .filter(([f]) => f.startsWith(`${folder}/`) && f.endsWith('.yaml'))
        .filter(([f]) => !f.includes('/templates/'))
        .map(([file, text]) => ({ file, text })),
      { name: folder },
    ).score!;
  }

  it('fixes the manifests in place, lists the findings with their rationale, and a second run changes nothing', async () => {
    dir.setContent({
      'README.md': '# orders',
      ...Object.fromEntries(
        Object.entries(FIX_FIXTURE).map(([f, t]) => [`k8s/${f}`, t]),
      ),
    });
    const before = workspace();
    const out = await run({ path: 'k8s' });
    const after = workspace();

    expect(out.filesChanged).toBe(2);
    const changed = Object.keys(after).filter(f => after[f] !== before[f]);
    expect(changed.sort()).toEqual(['k8s/api.yaml', 'k8s/shop.yaml']);
    // Left untouched and said why.
    expect(after['k8s/cache.json']).toBe(before['k8s/cache.json']);
    expect(after['k8s/rendered.yaml']).toBe(before['k8s/rendered.yaml']);
    expect(after['k8s/chart/templates/worker.yaml']).toBe(
      before['k8s/chart/templates/worker.yaml'],
    );
    const notEdited = Object.fromEntries(
      out.notEdited.map((n: any) => [n.file, n.reason]),
    );
    expect(notEdited['k8s/chart/templates/worker.yaml']).toContain(
      'a template',
    );
    expect(notEdited['k8s/rendered.yaml']).toBe(
      "rendered Helm output: fix the chart's templates or values instead",
    );
    expect(after['README.md']).toBe('# orders');

    // Every comment is kept; the files still parse as the same objects.
    for (const file of changed) {
      for (const line of before[file].split('\n').filter(l => /#\s/.test(l))) {
        expect(after[file]).toContain(line.slice(line.indexOf('#')));
      }
      expect(
        parseAllDocuments(after[file]).every(d => d.errors.length === 0),
      ).toBe(true);
    }
    expect(score(after, 'k8s')).toBeGreaterThan(score(before, 'k8s'));

    const seccomp = out.fixed.find(
      (f: any) =>
        f.ruleId === 'container-seccomp-profile' &&
        f.resource === 'Deployment shop/storefront',
    );
    expect(seccomp).toMatchObject({
      baselineRef: 'PS-06',
      file: 'k8s/shop.yaml',
      title: expect.any(String),
      rationale: expect.stringMatching(/\w+/),
    });
    expect(out.description).toContain('## Findings fixed');
    expect(out.description).toContain(
      `### [PS-06] ${seccomp.title} (\`container-seccomp-profile\`)`,
    );
    expect(out.description).toContain(seccomp.rationale);
    expect(out.description).toContain('## Files not edited');
    expect(out.diff).toMatch(
      /^--- a\/k8s\/shop\.yaml\n\+\+\+ b\/k8s\/shop\.yaml\n/,
    );
    expect(out.diff).toContain('\n+++ b/k8s/api.yaml\n');

    const again = await run({ path: 'k8s' });
    expect(again.filesChanged).toBe(0);
    expect(again.fixed).toEqual([]);
    expect(again.diff).toBe('');
    expect(again.description).toContain('No safe fix applies');
    expect(workspace()).toEqual(after);
  });

  it('in a dry run writes nothing and outputs the diff the real run applies', async () => {
    dir.setContent({
      'noncompliant.yaml': readFileSync(
        join(CLI_FIXTURES, 'noncompliant.yaml'),
        'utf8',
      ),
    });
    const before = workspace();
    const dry = await run({}, true);
    expect(workspace()).toEqual(before);
    expect(dry.filesChanged).toBe(1);
    expect(dry.diff).toMatch(/^--- a\/noncompliant\.yaml\n/);
    expect(dry.fixed.length).toBeGreaterThan(0);

    const real = await run({});
    expect(real.diff).toBe(dry.diff);
    expect(real.fixed).toEqual(dry.fixed);
    expect(workspace()['noncompliant.yaml']).not.toBe(
      before['noncompliant.yaml'],
    );
  });

  it('fixes only the rules of the scopes asked for', async () => {
    dir.setContent({ 'shop.yaml': FIX_FIXTURE['shop.yaml'] });
    const out = await run({ scopes: ['namespace'] });
    expect(out.fixed.length).toBeGreaterThan(0);
    expect(
      out.fixed.every((f: any) => f.resource.startsWith('Namespace ')),
    ).toBe(true);
  });

  it("honours the module's baseline: a rule it disables is not fixed", async () => {
    dir.setContent({ 'shop.yaml': FIX_FIXTURE['shop.yaml'] });
    const all = await run({}, true);
    const ids = (out: any) => new Set(out.fixed.map((f: any) => f.ruleId));
    expect(ids(all).has('container-seccomp-profile')).toBe(true);

    const configured = createFixAction({
      settings: testSettings({
        baseline: {
          rules: { 'container-seccomp-profile': { enabled: false } },
        },
      }),
    });
    const ctx = {
      ...createMockActionContext({ input: {}, workspacePath: dir.path }),
      isDryRun: true,
    };
    await configured.handler(ctx);
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls) as any;
    expect(ids(out).has('container-seccomp-profile')).toBe(false);
    expect(out.fixed.length).toBeGreaterThan(0);
    expect(out.diff).not.toContain('seccompProfile');
  });

  it('refuses bad input with a clear error, and a path outside the workspace', async () => {
    dir.setContent({ 'a.yaml': FIX_FIXTURE['shop.yaml'] });
    await expect(run({ path: 3, dryRun: true })).rejects.toThrow(
      /^Invalid input to aks-baseline:fix:\n- path: Expected string, received number\n- \(input\): Unrecognized key\(s\) in object: 'dryRun'/,
    );
    await expect(run({ path: '../elsewhere' })).rejects.toThrow(
      /outside its parent/,
    );
    await expect(run({ path: 'missing' })).rejects.toThrow(
      'Cannot read missing in the workspace',
    );
    expect(workspace()).toEqual({ 'a.yaml': FIX_FIXTURE['shop.yaml'] });
  });
});
