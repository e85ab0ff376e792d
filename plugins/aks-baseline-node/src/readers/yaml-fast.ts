/*
 * A fast path for the block-style YAML that Kubernetes manifests, `helm
 * template` and `kustomize build` print: block mappings and sequences, plain
 * and quoted one-line scalars, one-line flow collections and literal block
 * scalars, with scalars and keys resolved as kubectl resolves them
 * (./yaml-scalars.ts).
 *
 * Why: `yaml`'s parser costs about 0.4 s per MB here, too slow for
 * thousands of manifests in a CI step. Anything this parser is not sure
 * about (anchors, tags, merge keys, multi-line plain or quoted scalars,
 * folded scalars, CRLF, values JSON cannot hold, nesting deeper than the
 * limit, errors of any kind) makes it give up on the whole text; the caller
 * then parses it with ./yaml-library.ts, which also reports errors with
 * lines. Differential tests check that both agree wherever this one answers.
 */
import { MAX_NESTING_DEPTH } from './source-errors';
import { jsonKeyOf, resolvePlainScalar } from './yaml-scalars';

/** One document: its value and the 1-based line of its first key (or item). */
export interface FastDocument {
  value: unknown;
  line: number;
  /** Lines of `items[i]` (root mapping) or of each element of a root sequence. */
  itemLines?: number[];
}

/** Thrown internally to give up; never escapes this module. */
const BAIL: { bail: true } = { bail: true };

function bail(): never {
  throw BAIL;
}

/** A plain scalar's value; values JSON cannot hold (`.inf`, `.nan`) give up. */
function plainValue(s: string): unknown {
  const r = resolvePlainScalar(s);
  if (typeof r === 'string') return r;
  if (r.tag === 'float' && !Number.isFinite(r.value as number)) bail();
  return r.value;
}

/** A plain key as JSON names it; null keys, uint64 keys and `<<` give up. */
function plainKey(s: string): string {
  if (s === '<<') bail(); // a merge key
  const key = jsonKeyOf(resolvePlainScalar(s));
  return key === undefined ? bail() : key;
}

function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Characters that cannot start a plain scalar (or need care): bail on them. */
function isBadPlainStart(line: string, i: number): boolean {
  switch (line.charCodeAt(i)) {
    case 0x26: // & anchor
    case 0x2a: // * alias
    case 0x21: // ! tag
    case 0x25: // % directive
    case 0x40: // @
    case 0x60: // `
    case 0x2c: // ,
    case 0x5d: // ]
    case 0x7d: // }
    case 0x3e: // > folded
    case 0x7c: // | (handled before this check)
      return true;
    case 0x3f: // ? complex key
    case 0x3a: // : odd plain start
      return true;
    case 0x2d: // - followed by space: a sequence where a scalar belongs
      return i + 1 >= line.length || isWhite(line.charCodeAt(i + 1));
    default:
      return false;
  }
}

class FastParser {
  private pos = 0;
  private end = 0;
  /** Collections open around the current node. */
  private depth = 0;

  constructor(private readonly lines: string[]) {}

  /** Parses the documents of the text, or throws BAIL. */
  documents(): FastDocument[] {
    const lines = this.lines;
    const out: FastDocument[] = [];
    let start = 0;
    for (let i = 0; i <= lines.length; i++) {
      const line = i < lines.length ? lines[i] : undefined;
      let boundary = line === undefined;
      if (line !== undefined && line.length >= 3) {
        const c = line.charCodeAt(0);
        if (
          (c === 0x2d && line.startsWith('---')) ||
          (c === 0x2e && line.startsWith('...'))
        ) {
          if (line.length === 3 || isWhite(line.charCodeAt(3))) {
            // Only a comment may follow a marker here.
            const rest = line.slice(3).trim();
            if (rest !== '' && rest[0] !== '#') bail();
            boundary = true;
          }
        }
      }
      if (line !== undefined && line.charCodeAt(0) === 0x25) bail(); // %YAML
      if (!boundary) continue;
      if (i > start) {
        const doc = this.document(start, i);
        if (doc) out.push(doc);
      }
      start = i + 1;
    }
    return out;
  }

  private document(start: number, end: number): FastDocument | undefined {
    this.pos = start;
    this.end = end;
    if (!this.nextSignificant()) return undefined;
    const indent = this.indentAt(this.pos);
    const line = this.pos + 1;
    let itemLines: number[] | undefined;
    let value: unknown;
    const text = this.lines[this.pos];
    if (isSequenceEntry(text, indent)) {
      itemLines = [];
      value = this.sequence(indent, itemLines);
    } else {
      const root: { items?: number[] } = {};
      value = this.mapping(indent, false, root);
      itemLines = root.items;
    }
    if (this.nextSignificant()) bail(); // content after the root node
    const doc: FastDocument = { value, line };
    if (itemLines) doc.itemLines = itemLines;
    return doc;
  }

  /** Moves to the next line with content; false at the document's end. */
  private nextSignificant(): boolean {
    const lines = this.lines;
    while (this.pos < this.end) {
      const line = lines[this.pos];
      let i = 0;
      while (i < line.length && line.charCodeAt(i) === 0x20) i++;
      if (i === line.length) {
        this.pos++;
        continue;
      }
      const c = line.charCodeAt(i);
      if (c === 0x23) {
        this.pos++;
        continue;
      }
      if (c === 0x09) {
        // A tab in the indentation: fine on a blank line only.
        if (line.trim() === '') {
          this.pos++;
          continue;
        }
        bail();
      }
      return true;
    }
    return false;
  }

  private indentAt(index: number): number {
    const line = this.lines[index];
    let i = 0;
    while (i < line.length && line.charCodeAt(i) === 0x20) i++;
    return i;
  }

  /**
   * A block mapping whose keys sit at column `col`. With `inline`, the first
   * entry starts at `col` on the current line after a sequence dash.
   */
  private mapping(
    col: number,
    inline: boolean,
    root?: { items?: number[] },
  ): Record<string, unknown> {
    if (++this.depth > MAX_NESTING_DEPTH) bail();
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      if (!(first && inline)) {
        if (!this.nextSignificant()) break;
        const indent = this.indentAt(this.pos);
        if (indent < col) break;
        if (indent > col) bail();
        if (isSequenceEntry(this.lines[this.pos], col)) {
          // A dash at a mapping's own column after a complete entry.
          bail();
        }
      }
      first = false;
      const line = this.lines[this.pos];
      const after = this.key(line, col);
      const key = this.lastKey;
      if (
        key === '__proto__' ||
        Object.prototype.hasOwnProperty.call(out, key)
      ) {
        bail();
      }
      const items = root && key === 'items' ? [] : undefined;
      out[key] = this.value(line, after, col, true, items);
      if (items && Array.isArray(out[key])) root!.items = items;
    }
    this.depth--;
    return out;
  }

  private lastKey = '';

  /** Parses the key at `i`; sets lastKey and returns the index after `:`. */
  private key(line: string, i: number): number {
    const c = line.charCodeAt(i);
    let j: number;
    if (c === 0x22 || c === 0x27) {
      const end =
        c === 0x22 ? doubleQuotedEnd(line, i) : singleQuotedEnd(line, i);
      this.lastKey =
        c === 0x22
          ? unescapeDouble(line.slice(i + 1, end))
          : line.slice(i + 1, end).replace(/''/g, "'");
      j = end + 1;
      while (j < line.length && isWhite(line.charCodeAt(j))) j++;
      if (line.charCodeAt(j) !== 0x3a) bail();
      j++;
      if (j < line.length && !isWhite(line.charCodeAt(j))) bail();
      return j;
    }
    if (isBadPlainStart(line, i) || c === 0x5b || c === 0x7b || c === 0x23) {
      bail();
    }
    j = i;
    for (;;) {
      j = line.indexOf(':', j);
      if (j < 0) bail(); // no key: a multi-line scalar or an error
      const next = j + 1;
      if (next >= line.length || isWhite(line.charCodeAt(next))) break;
      j = next;
    }
    const hash = line.indexOf('#', i);
    if (hash >= 0 && hash < j && isWhite(line.charCodeAt(hash - 1))) bail();
    const raw = line.slice(i, j).trimEnd();
    if (raw.length === 0) bail();
    this.lastKey = plainKey(raw);
    return j + 1;
  }

  /**
   * The value after a key's colon (or a sequence dash) at `i` of `line`,
   * whose parent node sits at column `col`.
   */
  private value(
    line: string,
    start: number,
    col: number,
    inMapping: boolean,
    items?: number[],
  ): unknown {
    let i = start;
    while (i < line.length && isWhite(line.charCodeAt(i))) i++;
    if (i >= line.length || line.charCodeAt(i) === 0x23) {
      // Nothing on this line: the value is the block below, or null.
      this.pos++;
      if (!this.nextSignificant()) return null;
      const indent = this.indentAt(this.pos);
      const text = this.lines[this.pos];
      if (indent > col) {
        if (isSequenceEntry(text, indent)) return this.sequence(indent, items);
        return this.mapping(indent, false);
      }
      if (inMapping && indent === col && isSequenceEntry(text, col)) {
        // `key:` followed by `- item` at the key's own column.
        return this.sequence(col, items);
      }
      return null;
    }
    const c = line.charCodeAt(i);
    let value: unknown;
    let endOfNode: number;
    if (c === 0x7c) {
      return this.literal(line, i, col);
    } else if (c === 0x22) {
      const end = doubleQuotedEnd(line, i);
      value = unescapeDouble(line.slice(i + 1, end));
      endOfNode = end + 1;
    } else if (c === 0x27) {
      const end = singleQuotedEnd(line, i);
      value = line.slice(i + 1, end).replace(/''/g, "'");
      endOfNode = end + 1;
    } else if (c === 0x5b || c === 0x7b) {
      // eslint-disable-next-line @typescript-eslint/no-use-before-define
      const flow = new FlowParser(line, i, this.depth);
      value = flow.node();
      endOfNode = flow.i;
    } else {
      if (isBadPlainStart(line, i)) bail();
      // A plain scalar runs to a comment or the end of the line.
      let end = line.length;
      for (let j = i; j < line.length; j++) {
        const ch = line.charCodeAt(j);
        if (ch === 0x23 && isWhite(line.charCodeAt(j - 1))) {
          end = j;
          break;
        }
        if (
          ch === 0x3a &&
          (j + 1 >= line.length || isWhite(line.charCodeAt(j + 1)))
        ) {
          bail(); // `a: b: c` or a compact mapping we do not handle here
        }
      }
      value = plainValue(line.slice(i, end).trimEnd());
      endOfNode = line.length;
    }
    if (endOfNode < line.length) {
      const rest = line.slice(endOfNode);
      const t = rest.trimStart();
      if (t !== '' && !(t[0] === '#' && rest.length > t.length)) bail();
    }
    this.pos++;
    // A more indented line right after a scalar would continue it: give up.
    if (this.pos < this.end) {
      const next = this.lines[this.pos];
      let k = 0;
      while (k < next.length && next.charCodeAt(k) === 0x20) k++;
      if (k < next.length && k > col && next.charCodeAt(k) !== 0x23) bail();
      if (k < next.length && next.charCodeAt(k) === 0x09) bail();
    }
    return value;
  }

  /** A block sequence whose dashes sit at column `col`. */
  private sequence(col: number, itemLines?: number[]): unknown[] {
    if (++this.depth > MAX_NESTING_DEPTH) bail();
    const out: unknown[] = [];
    for (;;) {
      if (!this.nextSignificant()) break;
      const indent = this.indentAt(this.pos);
      if (indent < col) break;
      if (indent > col) bail();
      const line = this.lines[this.pos];
      if (!isSequenceEntry(line, col)) break;
      let i = col + 1;
      while (i < line.length && isWhite(line.charCodeAt(i))) i++;
      if (line.charCodeAt(i - 1) === 0x09) bail(); // tab as indentation
      const lineNo = this.pos + 1;
      if (i < line.length && line.charCodeAt(i) !== 0x23) {
        if (isSequenceEntry(line, i)) bail(); // `- - x`
        if (startsMappingEntry(line, i)) {
          if (itemLines) itemLines.push(lineNo);
          out.push(this.mapping(i, true));
          continue;
        }
        if (itemLines) itemLines.push(lineNo);
        out.push(this.value(line, i, col, false));
        continue;
      }
      // `-` alone: the item is the block below.
      this.pos++;
      if (!this.nextSignificant() || this.indentAt(this.pos) <= col) {
        if (itemLines) itemLines.push(lineNo);
        out.push(null);
        continue;
      }
      const childIndent = this.indentAt(this.pos);
      const text = this.lines[this.pos];
      if (itemLines) itemLines.push(this.pos + 1);
      out.push(
        isSequenceEntry(text, childIndent)
          ? this.sequence(childIndent)
          : this.mapping(childIndent, false),
      );
    }
    this.depth--;
    return out;
  }

  /** A literal block scalar (`|`, `|-`); `|+` and explicit indents give up. */
  private literal(line: string, i: number, col: number): string {
    let j = i + 1;
    let strip = false;
    if (line.charCodeAt(j) === 0x2d) {
      strip = true;
      j++;
    }
    const header = line.slice(j);
    const t = header.trimStart();
    if (t !== '' && !(t[0] === '#' && header.length > t.length)) bail();
    const lines = this.lines;
    let k = this.pos + 1;
    // Leading empty lines, then the first content line sets the indent.
    let indent = -1;
    let maxLeading = 0;
    for (let n = k; n < this.end; n++) {
      const l = lines[n];
      let s = 0;
      while (s < l.length && l.charCodeAt(s) === 0x20) s++;
      if (s === l.length) {
        if (s > maxLeading) maxLeading = s;
        continue;
      }
      indent = s;
      break;
    }
    if (indent <= col || maxLeading > indent) bail(); // empty or odd scalar
    const parts: string[] = [];
    let lastContent = -1;
    for (; k < this.end; k++) {
      const l = lines[k];
      let s = 0;
      while (s < l.length && l.charCodeAt(s) === 0x20) s++;
      if (s === l.length) {
        if (s > indent) bail(); // whitespace kept as content: leave to yaml
        parts.push('');
        continue;
      }
      if (s < indent) break;
      parts.push(l.slice(indent));
      lastContent = parts.length - 1;
    }
    this.pos = k;
    const body = parts.slice(0, lastContent + 1).join('\n');
    return strip ? body : `${body}\n`;
  }
}

function isSequenceEntry(line: string, i: number): boolean {
  return (
    line.charCodeAt(i) === 0x2d &&
    (i + 1 >= line.length || isWhite(line.charCodeAt(i + 1)))
  );
}

/** Whether a mapping entry (`key: ...`) starts at `i`. */
function startsMappingEntry(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c === 0x5b || c === 0x7b || c === 0x7c || c === 0x3e) return false;
  if (c === 0x22 || c === 0x27) {
    const end =
      c === 0x22 ? doubleQuotedEnd(line, i) : singleQuotedEnd(line, i);
    let j = end + 1;
    while (j < line.length && isWhite(line.charCodeAt(j))) j++;
    return (
      line.charCodeAt(j) === 0x3a &&
      (j + 1 >= line.length || isWhite(line.charCodeAt(j + 1)))
    );
  }
  for (let j = i; j < line.length; j++) {
    const ch = line.charCodeAt(j);
    if (ch === 0x23 && j > i && isWhite(line.charCodeAt(j - 1))) return false;
    if (
      ch === 0x3a &&
      (j + 1 >= line.length || isWhite(line.charCodeAt(j + 1)))
    ) {
      return true;
    }
  }
  return false;
}

/** Index of the closing quote of a one-line double-quoted scalar. */
function doubleQuotedEnd(line: string, i: number): number {
  for (let j = i + 1; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 0x5c) {
      j++;
      continue;
    }
    if (c === 0x22) return j;
  }
  return bail(); // continues on the next line
}

function singleQuotedEnd(line: string, i: number): number {
  for (let j = i + 1; j < line.length; j++) {
    if (line.charCodeAt(j) === 0x27) {
      if (line.charCodeAt(j + 1) === 0x27) {
        j++;
        continue;
      }
      return j;
    }
  }
  return bail();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_ESCAPE_SIZE: Record<string, number> = { x: 2, u: 4, U: 8 };

function unescapeDouble(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const size = HEX_ESCAPE_SIZE[e] ?? 0;
    if (size === 0) bail();
    const hex = s.slice(i + 1, i + 1 + size);
    if (hex.length !== size || !/^[0-9a-fA-F]+$/.test(hex)) bail();
    const code = parseInt(hex, 16);
    // go-yaml refuses surrogates and code points beyond Unicode.
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) bail();
    out += String.fromCodePoint(code);
    i += size;
  }
  return out;
}

/** One-line flow collections: `[a, "b"]`, `{ k: v }`, nested. */
class FlowParser {
  constructor(
    private readonly line: string,
    public i: number,
    private depth: number,
  ) {}

  node(): unknown {
    this.skip();
    const c = this.line.charCodeAt(this.i);
    if (c === 0x5b) return this.seq();
    if (c === 0x7b) return this.map();
    return this.scalar();
  }

  private skip(): void {
    while (this.i < this.line.length && isWhite(this.line.charCodeAt(this.i))) {
      this.i++;
    }
    if (this.i >= this.line.length) bail(); // flow spans lines
    if (this.line.charCodeAt(this.i) === 0x23) bail();
  }

  private seq(): unknown[] {
    if (++this.depth > MAX_NESTING_DEPTH) bail();
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.skip();
      if (this.line.charCodeAt(this.i) === 0x5d) {
        this.i++;
        this.depth--;
        return out;
      }
      out.push(this.node());
      this.skip();
      const c = this.line.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        this.depth--;
        return out;
      }
      bail(); // `[a: b]` and other forms
    }
  }

  private map(): Record<string, unknown> {
    if (++this.depth > MAX_NESTING_DEPTH) bail();
    this.i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skip();
      if (this.line.charCodeAt(this.i) === 0x7d) {
        this.i++;
        this.depth--;
        return out;
      }
      const k = this.key();
      if (k === '__proto__' || Object.prototype.hasOwnProperty.call(out, k)) {
        bail();
      }
      this.skip();
      let c = this.line.charCodeAt(this.i);
      if (c !== 0x3a) bail(); // `{ a }` and the like
      this.i++;
      this.skip();
      c = this.line.charCodeAt(this.i);
      if (c === 0x2c || c === 0x7d) {
        out[k] = null;
      } else {
        out[k] = this.node();
        this.skip();
        c = this.line.charCodeAt(this.i);
      }
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        this.depth--;
        return out;
      }
      bail();
    }
  }

  /** A flow mapping's key: a quoted or plain scalar, as JSON names it. */
  private key(): string {
    this.skip();
    const c = this.line.charCodeAt(this.i);
    if (c === 0x22 || c === 0x27) return this.quoted(c);
    if (c === 0x5b || c === 0x7b) bail(); // a collection as a key
    return plainKey(this.plain());
  }

  private scalar(): unknown {
    const c = this.line.charCodeAt(this.i);
    if (c === 0x22 || c === 0x27) return this.quoted(c);
    return plainValue(this.plain());
  }

  private quoted(c: number): string {
    const line = this.line;
    if (c === 0x22) {
      const end = doubleQuotedEnd(line, this.i);
      const v = unescapeDouble(line.slice(this.i + 1, end));
      this.i = end + 1;
      return v;
    }
    const end = singleQuotedEnd(line, this.i);
    const v = line.slice(this.i + 1, end).replace(/''/g, "'");
    this.i = end + 1;
    return v;
  }

  /** The text of a plain scalar in a flow collection. */
  private plain(): string {
    const line = this.line;
    const c = line.charCodeAt(this.i);
    if (isBadPlainStart(line, this.i) || c === 0x7c || c === 0x23) bail();
    const start = this.i;
    let j = start;
    for (; j < line.length; j++) {
      const ch = line.charCodeAt(j);
      if (
        ch === 0x2c ||
        ch === 0x5b ||
        ch === 0x5d ||
        ch === 0x7b ||
        ch === 0x7d
      ) {
        break;
      }
      if (ch === 0x3a) {
        const next = line.charCodeAt(j + 1);
        if (
          j + 1 >= line.length ||
          isWhite(next) ||
          next === 0x2c ||
          next === 0x5d ||
          next === 0x7d
        ) {
          break;
        }
      }
      if (ch === 0x23 && isWhite(line.charCodeAt(j - 1))) bail();
      // go-yaml ends a flow plain scalar at `?` and then fails.
      if (ch === 0x3f) bail();
    }
    this.i = j;
    return line.slice(start, j).trimEnd();
  }
}

/**
 * Parses YAML text with the fast path; `undefined` when the text uses
 * anything outside it (the caller then uses `yaml`).
 */
export function parseYamlFast(text: string): FastDocument[] | undefined {
  if (text.indexOf('\r') >= 0) return undefined;
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  try {
    return new FastParser(lines).documents();
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}
