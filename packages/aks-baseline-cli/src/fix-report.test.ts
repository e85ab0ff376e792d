/*
 * Fixes in the reports: SARIF results carry `fixes` whose artifact changes,
 * applied to the file, fix the finding (and the log validates against the
 * SARIF 2.1.0 schema); the table and Markdown show each finding's fix.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sarifValidator } from './__testUtils__/sarif';
import { changedLines, sarifReplacement } from './fix-report';
import { FIXTURES, NOW, runCli } from './testing';

/** Applies a SARIF replacement (1-based line/column region) to a text. */
function applyReplacement(
  text: string,
  r: ReturnType<typeof sarifReplacement>,
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++)
    if (text[i] === '\n') starts.push(i + 1);
  const offset = (line: number, column: number) =>
    (line - 1 < starts.length ? starts[line - 1] : text.length) + column - 1;
  const { startLine, startColumn, endLine, endColumn } = r.deletedRegion;
  return (
    text.slice(0, offset(startLine, startColumn)) +
    r.insertedContent.text +
    text.slice(offset(endLine, endColumn))
  );
}

describe('SARIF replacements', () => {
  const before = 'a: 1\nb:\n  c: 2\nd: 3\n';
  it.each([
    ['a line replaced', 'a: 1\nb:\n  c: 5\nd: 3\n'],
    ['lines inserted in the middle', 'a: 1\nb:\n  c: 2\n  e: 4\nd: 3\n'],
    ['the last line replaced', 'a: 1\nb:\n  c: 2\nd: 4\n'],
    ['a document appended', 'a: 1\nb:\n  c: 2\nd: 3\n---\nx: 1\n'],
    ['the first line changed', 'z: 0\na: 1\nb:\n  c: 2\nd: 3\n'],
  ])('%s: applying it gives the new text', (_, after) => {
    const change = changedLines('f.yaml', before, after)!;
    expect(applyReplacement(before, sarifReplacement(before, change))).toBe(
      after,
    );
  });
});

describe('fixes in the reports', () => {
  it('SARIF: results carry fixes that, applied to the file, fix their finding; the log validates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-sarif-'));
    for (const f of ['noncompliant.yaml', 'baseline-config.yaml']) {
      fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    }
    const args = ['noncompliant.yaml', '--config', 'baseline-config.yaml'];
    const run = await runCli(['scan', ...args, '-f', 'sarif', '--now', NOW], {
      cwd: dir,
    });
    const sarif = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    const withFixes = sarif.runs[0].results.filter((r: any) => r.fixes);
    expect(withFixes.length).toBeGreaterThanOrEqual(4);
    const original = fs.readFileSync(
      path.join(dir, 'noncompliant.yaml'),
      'utf8',
    );
    for (const result of withFixes) {
      const [change] = result.fixes[0].artifactChanges;
      expect(change.artifactLocation.uri).toBe('noncompliant.yaml');
      fs.writeFileSync(
        path.join(dir, 'noncompliant.yaml'),
        applyReplacement(original, change.replacements[0]),
      );
      const after = await runCli(
        ['scan', ...args, '-f', 'json', '--now', NOW],
        {
          cwd: dir,
        },
      );
      const still = JSON.parse(after.stdout).findings.filter(
        (f: any) =>
          f.ruleId === result.ruleId &&
          f.status === 'fail' &&
          f.resource.name === result.properties.resource.name,
      );
      expect(still).toEqual([]);
    }
  });

  it("table and Markdown show the finding's own fix, and what to adapt", async () => {
    const args = [
      'noncompliant.yaml',
      '--config',
      'baseline-config.yaml',
      '--now',
      NOW,
    ];
    const table = (await runCli(['scan', ...args])).stdout;
    expect(table).toContain(
      'fix: Set allowPrivilegeEscalation: false on each offending container',
    );
    expect(table).toContain('example to adapt: Fill in the digest');
    const markdown = (await runCli(['scan', ...args, '-f', 'markdown'])).stdout;
    expect(markdown).toContain('<summary>Exact fixes (');
    expect(markdown).toContain(
      '> Example to adapt: Fill in each <...> with a quantity',
    );
  });

  it("Markdown keeps the comment under GitHub's limit, showing the fixes that fit", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-md-'));
    const deployments = Array.from(
      { length: 150 },
      (_, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}-with-a-rather-long-name
  namespace: shop
spec:
  replicas: 3
  selector: {matchLabels: {app: a${i}}}
  template:
    metadata: {labels: {app: a${i}}}
    spec:
      containers:
        - name: main-container
          image: nginx:latest
        - name: sidecar-container
          image: docker.io/envoy:latest
`,
    );
    fs.writeFileSync(path.join(dir, 'many.yaml'), deployments.join(''));
    const markdown = (
      await runCli(['scan', 'many.yaml', '-f', 'markdown', '--now', NOW], {
        cwd: dir,
      })
    ).stdout;
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain('<summary>Exact fixes (');
    expect(markdown).toMatch(/… and \d+ more: the table and SARIF reports/);
  });
});
