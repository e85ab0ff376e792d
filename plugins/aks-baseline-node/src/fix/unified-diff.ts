/*
 * A unified diff of two texts (`diff -u`), for dry runs: the lines a fix
 * changes with three lines of context, from a longest common subsequence
 * of the lines (manifests are small).
 */

type Edit = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function editScript(a: string[], b: string[]): Edit[] {
  // Common head and tail first: fixes change a few lines of a file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] =
        x[i] === y[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: Edit[] = a.slice(0, head).map(line => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ kind: ' ', line: x[i] });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: '-', line: x[i++] });
    } else {
      out.push({ kind: '+', line: y[j++] });
    }
  }
  for (const line of a.slice(a.length - tail)) out.push({ kind: ' ', line });
  return out;
}

/**
 * `--- a/file` / `+++ b/file` and its hunks; empty when the texts are equal.
 *
 * @public
 */
export function unifiedDiff(
  before: string,
  after: string,
  file: string,
  context = 3,
): string {
  if (before === after) return '';
  const edits = editScript(lines(before), lines(after));
  const out = [`--- a/${file}`, `+++ b/${file}`];
  let k = 0;
  while (k < edits.length) {
    if (edits[k].kind === ' ') {
      k++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` after the
    // last change that is at most 2 * context lines from the previous one.
    const start = Math.max(0, k - context);
    let end = k;
    let last = k;
    while (end < edits.length) {
      if (edits[end].kind !== ' ') last = end;
      else if (end - last > 2 * context) break;
      end++;
    }
    end = Math.min(edits.length, last + context + 1);
    let oldStart = 1;
    let newStart = 1;
    for (let e = 0; e < start; e++) {
      if (edits[e].kind !== '+') oldStart++;
      if (edits[e].kind !== '-') newStart++;
    }
    const hunk = edits.slice(start, end);
    const oldCount = hunk.filter(e => e.kind !== '+').length;
    const newCount = hunk.filter(e => e.kind !== '-').length;
    out.push(
      `@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${
        newCount === 0 ? newStart - 1 : newStart
      },${newCount} @@`,
    );
    for (const e of hunk) out.push(`${e.kind}${e.line}`);
    k = end;
  }
  return `${out.join('\n')}\n`;
}
