/*
 * `aks-baseline fix` on copies of the golden noncompliant fixture and of a
 * realistic folder (multi-document YAML with comments, flow maps and
 * quoting; rendered Helm output; a JSON file; an unrendered chart): the
 * dry run's diff applies with git apply, a scan after the fix has none of
 * the fixed findings and no new ones, the score is higher, a second run
 * changes nothing, and kubectl decodes the files as the patched objects.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { FIXTURES, NOW, runCli } from './testing';

function copy(entries: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-fix-'));
  for (const entry of entries) {
    fs.cpSync(
      path.join(FIXTURES, entry),
      path.join(dir, path.basename(entry)),
      {
        recursive: true,
      },
    );
  }
  return dir;
}

function readAll(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

interface Finding {
  ruleId: string;
  status: string;
  resource: { kind: string; namespace?: string; name: string };
}
const key = (f: Finding) =>
  `${f.ruleId} ${f.resource.kind}/${f.resource.namespace ?? ''}/${
    f.resource.name
  } ${f.status}`;

async function scanJson(dir: string, args: string[]) {
  const run = await runCli(
    ['scan', ...args, '--format', 'json', '--now', NOW],
    { cwd: dir },
  );
  expect(run.code).toBe(0);
  const json = JSON.parse(run.stdout);
  return {
    score: json.score.score as number,
    findings: (json.findings as Finding[]).map(key),
  };
}

/** Fixed lines of the summary: `fixed N findings in FILE (rule, rule)`. */
function fixedRules(stdout: string): string[] {
  return [
    ...stdout.matchAll(/fixed \d+ findings? in \S+ \(([^)]*)\)/g),
  ].flatMap(m => m[1].split(', '));
}

const CASES: Record<string, { entries: string[]; args: string[] }> = {
  'the golden noncompliant fixture': {
    entries: ['noncompliant.yaml', 'baseline-config.yaml'],
    args: ['noncompliant.yaml', '--config', 'baseline-config.yaml'],
  },
  'a folder of multi-document manifests with comments': {
    entries: ['fix'],
    args: ['fix'],
  },
};

describe('aks-baseline fix', () => {
  describe.each(Object.entries(CASES))('%s', (_title, c) => {
    it('--dry-run prints a diff that git apply applies, and changes nothing', async () => {
      const dir = copy(c.entries);
      const before = readAll(dir);
      const run = await runCli(['fix', '--dry-run', ...c.args, '--now', NOW], {
        cwd: dir,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^--- a\//);
      expect(readAll(dir)).toEqual(before);
      const scoreBefore = (await scanJson(dir, c.args)).score;

      fs.writeFileSync(path.join(dir, 'fix.diff'), run.stdout);
      const git = spawnSync('git', ['apply', 'fix.diff'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(git.stderr).toBe('');
      fs.rmSync(path.join(dir, 'fix.diff'));
      expect((await scanJson(dir, c.args)).score).toBeGreaterThan(scoreBefore);
    });

    it('fixes in place: the fixed findings go, none comes, the score rises, a second run changes nothing', async () => {
      const dir = copy(c.entries);
      const original = readAll(dir);
      const before = await scanJson(dir, c.args);
      const run = await runCli(['fix', ...c.args, '--now', NOW], {
        cwd: dir,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const fixed = fixedRules(run.stdout);
      expect(fixed.length).toBeGreaterThan(0);

      const after = await scanJson(dir, c.args);
      expect(after.score).toBeGreaterThan(before.score);
      expect(run.stdout).toContain(`score ${before.score} → ${after.score}`);
      // No new findings; the fixed rules' failures are gone.
      expect(after.findings.filter(f => !before.findings.includes(f))).toEqual(
        [],
      );
      // Findings of those rules left alone are said (not applied, to adapt).
      const left = new Set(
        [
          ...run.stdout.matchAll(
            /(?:not applied|to adapt) (\S+) on (\S+) (\S+?):/g,
          ),
        ].map(m => `${m[1]} ${m[2]}/${m[3]}`),
      );
      const stillFailing = after.findings.filter(f => {
        const [rule, object, status] = f.split(' ');
        const [kind, ns, objectName] = object.split('/');
        return (
          status === 'fail' &&
          fixed.includes(rule) &&
          !left.has(`${rule} ${kind}/${ns ? `${ns}/` : ''}${objectName}`)
        );
      });
      expect(stillFailing).toEqual([]);

      // Every comment of the originals is still there.
      const fixedFiles = readAll(dir);
      for (const [file, text] of Object.entries(original)) {
        const comments = text
          .split('\n')
          .filter(l => /#\s/.test(l))
          .map(l => l.slice(l.indexOf('#')));
        for (const comment of comments) {
          expect(fixedFiles[file]).toContain(comment);
        }
      }

      const again = await runCli(['fix', ...c.args, '--now', NOW], {
        cwd: dir,
      });
      expect(again.stdout).toContain('nothing to fix safely');
      expect(readAll(dir)).toEqual(fixedFiles);
    });
  });

  it('leaves JSON, rendered Helm output and unrendered templates alone, saying why', async () => {
    const dir = copy(['fix']);
    const original = readAll(dir);
    const run = await runCli(['fix', 'fix', '--now', NOW], { cwd: dir });
    expect(run.stdout).toContain(
      'not edited fix/cache.json: JSON files are not edited',
    );
    expect(run.stdout).toContain(
      "not edited fix/rendered.yaml: rendered Helm output: fix the chart's templates or values instead",
    );
    const files = readAll(dir);
    expect(files['fix/cache.json']).toBe(original['fix/cache.json']);
    expect(files['fix/rendered.yaml']).toBe(original['fix/rendered.yaml']);
    expect(files['fix/chart/templates/worker.yaml']).toBe(
      original['fix/chart/templates/worker.yaml'],
    );
    expect(files['fix/shop.yaml']).not.toBe(original['fix/shop.yaml']);
  });

  it('adds a new object as a document after the object it belongs with', async () => {
    const dir = copy(['fix']);
    await runCli(['fix', 'fix', '--rules', 'HA-03', '--now', NOW], {
      cwd: dir,
    });
    const docs = parseAllDocuments(
      fs.readFileSync(path.join(dir, 'fix/api.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Deployment/api',
      'PodDisruptionBudget/api-pdb',
      'PodDisruptionBudget/db',
    ]);
    expect(docs[1].spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { app: 'api' } },
    });
  });

  it('--rules fixes only the rules named (ids or baseline keys)', async () => {
    const dir = copy(['fix']);
    const run = await runCli(
      [
        'fix',
        'fix',
        '--rules',
        'PS-03,container-seccomp-profile',
        '--now',
        NOW,
      ],
      { cwd: dir },
    );
    expect([...new Set(fixedRules(run.stdout))].sort()).toEqual([
      'container-no-privilege-escalation',
      'container-seccomp-profile',
    ]);
  });

  it('refuses standard input and unknown rules as usage errors', async () => {
    const stdin = await runCli(['fix', '-'], { stdin: 'kind: Namespace\n' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('not standard input');
    const rules = await runCli(
      ['fix', 'noncompliant.yaml', '--rules', 'XX-99'],
      {
        cwd: copy(['noncompliant.yaml']),
      },
    );
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('--rules: unknown rule id "XX-99"');
  });

  const hasKubectl =
    spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' })
      .status === 0;
  (hasKubectl ? describe : describe.skip)('with kubectl', () => {
    it('decodes the fixed files as the objects they now hold', async () => {
      const dir = copy(['fix']);
      await runCli(['fix', 'fix', '--now', NOW], { cwd: dir });
      const file = path.join(dir, 'fix/shop.yaml');
      const decoded = spawnSync(
        'kubectl',
        ['label', '--local', '-f', file, 'checked=yes', '-o', 'json'],
        { encoding: 'utf8' },
      );
      expect(decoded.stderr).toBe('');
      const objects = JSON.parse(
        `[${decoded.stdout.replace(/^}\n{/gm, '},\n{')}]`,
      ).map((o: any) => {
        delete o.metadata.labels.checked;
        if (Object.keys(o.metadata.labels).length === 0)
          delete o.metadata.labels;
        return o;
      });
      expect(objects).toEqual(
        parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS()),
      );
    });
  });
});
