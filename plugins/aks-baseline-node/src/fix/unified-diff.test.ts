import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from './unified-diff';

const BEFORE = `${Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join(
  '\n',
)}\n`;
const lines = BEFORE.split('\n');
const AFTER = [
  'line 0',
  ...lines.slice(0, 4),
  'line 5 changed',
  ...lines.slice(5, 20),
  ...lines.slice(22, 38),
  'added at the end',
  ...lines.slice(38),
].join('\n');

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff(BEFORE, BEFORE, 'x.yaml')).toBe('');
  });

  it('writes hunks with three lines of context', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\nd\n', 'f')).toBe(
      '--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n',
    );
  });

  it('applies with git apply', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aks-diff-'));
    writeFileSync(join(dir, 'x.yaml'), BEFORE);
    writeFileSync(join(dir, 'fix.diff'), unifiedDiff(BEFORE, AFTER, 'x.yaml'));
    const run = spawnSync('git', ['apply', 'fix.diff'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(readFileSync(join(dir, 'x.yaml'), 'utf8')).toBe(AFTER);
  });
});
