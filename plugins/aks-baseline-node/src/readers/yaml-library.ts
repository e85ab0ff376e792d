/*
 * Any YAML, read as kubectl reads it. The `yaml` package parses, fed one
 * token at a time so that its parser's stack (whose unwinding recurses) is
 * checked against the nesting limit as it grows; the exact depth is then
 * checked on the CST before anything recursive runs. The document is
 * composed with the failsafe schema (every scalar a string, no merge, no key
 * checks) and turned into values here with go-yaml v2's rules: plain
 * scalars through ./yaml-scalars.ts, `<<` merge keys applied in order (a
 * later key wins, earlier maps of a merge list win), keys named as
 * sigs.k8s.io/yaml names them in JSON. What kubectl refuses, or reads in a
 * way this code does not reproduce, is refused with the line.
 */
import {
  Alias,
  Composer,
  CST,
  Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Node as YamlNode,
  Pair,
  Parser,
  Scalar,
  YAMLMap,
} from 'yaml';
import { MAX_NESTING_DEPTH, SourceTextError, TOO_DEEP } from './source-errors';
import type { SourceDocument } from './source-documents';
import {
  jsonKeyOf,
  ResolvedScalar,
  resolvePlainScalar,
  TypedScalar,
} from './yaml-scalars';

/** Most nodes alias expansion may add to a document (go-yaml limits it too). */
const MAX_ALIASED_NODES = 100_000;

const TAG = 'tag:yaml.org,2002:';

/** Offset of the first collection nested deeper than the limit, if any. */
function tooDeepOffset(doc: CST.Document): number | undefined {
  const stack: Array<[CST.Token, number]> = [];
  if (doc.value) stack.push([doc.value, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (
      token.type !== 'block-map' &&
      token.type !== 'block-seq' &&
      token.type !== 'flow-collection'
    ) {
      continue;
    }
    if (depth + 1 > MAX_NESTING_DEPTH) return token.offset;
    for (const item of token.items) {
      if ('key' in item && item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Each alias's node: the last anchor of its name before it (document order). */
function anchorTargets(root: unknown): Map<Alias, YamlNode> {
  const targets = new Map<Alias, YamlNode>();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.set(node.anchor, node);
    }
    if (isMap(node) || isSeq(node)) {
      // Pushed in reverse: popped in document order, keys before values.
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i];
        if (isPair(item)) {
          stack.push(item.value);
          stack.push(item.key);
        } else stack.push(item);
      }
    } else if (isPair(node)) {
      stack.push(node.value);
      stack.push(node.key);
    }
  }
  return targets;
}

/** True if the string has a lone surrogate (go-yaml refuses such escapes). */
function hasLoneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
    s,
  );
}

/** Turns one composed document into values with go-yaml's rules. */
class GoYamlConverter {
  /** Nodes made while expanding aliases, and how many expansions are open. */
  private aliased = 0;
  private expanding = 0;
  private readonly targets: Map<Alias, YamlNode>;
  /** Anchored nodes being converted (an alias to one of them is a cycle). */
  private readonly open = new Set<YamlNode>();
  /** Lines of the root mapping's `items` entries. */
  itemLines?: number[];

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly counter: LineCounter,
    doc: Document,
  ) {
    this.targets = anchorTargets(doc.contents);
  }

  lineOf(node: unknown): number | undefined {
    let target = node as YamlNode | undefined;
    if (isMap(node) && node.items.length > 0) {
      target = node.items[0].key as YamlNode;
    } else if (isPair(node)) {
      target = node.key as YamlNode;
    }
    const offset = target?.range?.[0];
    return offset === undefined ? undefined : this.counter.linePos(offset).line;
  }

  private refuse(reason: string, node: unknown): never {
    throw new SourceTextError(reason, this.file, this.lineOf(node));
  }

  /** An alias's node (the node itself when not an alias). */
  private deref(node: unknown): unknown {
    if (!isAlias(node)) return node;
    const target = this.targets.get(node);
    if (!target) {
      this.refuse(`unknown anchor '${node.source}' referenced`, node);
    }
    if (this.open.has(target)) {
      this.refuse(`anchor '${node.source}' value contains itself`, node);
    }
    return target;
  }

  /** A scalar as go-yaml resolves it: tags, then the plain rules. */
  private scalar(node: Scalar, inFlow: boolean): ResolvedScalar {
    const raw = String(node.value ?? '');
    const tag = node.tag;
    const plain = node.type === 'PLAIN' || node.type === undefined;
    if (plain && inFlow && raw.includes('?')) {
      this.refuse(
        "a '?' inside a plain scalar of a flow collection (kubectl cannot read it): quote the value",
        node,
      );
    }
    if (node.type === 'QUOTE_DOUBLE') this.checkEscapes(node);
    if (tag === undefined) return plain ? resolvePlainScalar(raw) : raw;
    if (tag === `${TAG}str`) return raw;
    const expected = tag.startsWith(TAG) ? tag.slice(TAG.length) : '';
    if (!['int', 'float', 'bool', 'null'].includes(expected)) {
      this.refuse(`the YAML tag ${tag} is not supported`, node);
    }
    const r = resolvePlainScalar(raw);
    let got: string = typeof r === 'string' ? 'str' : r.tag;
    if (got === 'uint') got = 'int';
    if (got === expected) return r;
    if (expected === 'float' && got === 'int') {
      return { tag: 'float', value: (r as TypedScalar).value };
    }
    return this.refuse(
      `cannot read ${JSON.stringify(raw)} as !!${expected}`,
      node,
    );
  }

  /** go-yaml has no `\/` escape and refuses escaped surrogates. */
  private checkEscapes(node: Scalar): void {
    const range = node.range;
    if (!range) return;
    const source = this.text.slice(range[0], range[1]);
    for (
      let i = source.indexOf('\\');
      i >= 0;
      i = source.indexOf('\\', i + 2)
    ) {
      if (source[i + 1] === '/') {
        this.refuse(
          'the escape \\/ in a double-quoted string (kubectl cannot read it): write / alone',
          node,
        );
      }
    }
    if (hasLoneSurrogate(String(node.value))) {
      this.refuse('an escaped UTF-16 surrogate (not a character)', node);
    }
  }

  /** A node's value; `depth` counts the collections around it. */
  value(node: unknown, depth: number, inFlow: boolean): unknown {
    if (this.expanding > 0 && ++this.aliased > MAX_ALIASED_NODES) {
      this.refuse('too many aliases (excessive aliasing)', node);
    }
    if (isAlias(node)) {
      const target = this.deref(node);
      this.expanding++;
      const value = this.value(target, depth, inFlow);
      this.expanding--;
      return value;
    }
    if (node === null || node === undefined) return null;
    if (isScalar(node)) {
      const r = this.scalar(node, inFlow);
      if (typeof r === 'string') return r;
      if (r.tag === 'float' && !Number.isFinite(r.value as number)) {
        this.refuse(
          `${String(
            node.value,
          )} is not a number JSON can hold (kubectl refuses it): quote it for a string`,
          node,
        );
      }
      return r.value;
    }
    if (depth + 1 > MAX_NESTING_DEPTH) this.refuse(TOO_DEEP, node);
    const anchored = (node as YamlNode).anchor ? (node as YamlNode) : undefined;
    if (anchored) this.open.add(anchored);
    let out: unknown;
    if (isSeq(node)) {
      // `[a: 1]`: a one-entry mapping inside the sequence.
      out = node.items.map(item =>
        isPair(item)
          ? this.mapping([item], depth + 2, true)
          : this.value(item, depth + 1, inFlow || node.flow === true),
      );
    } else if (isMap(node)) {
      out = this.mapping(node.items, depth + 1, inFlow || node.flow === true);
    } else {
      this.refuse('an unsupported YAML node', node);
    }
    if (anchored) this.open.delete(anchored);
    return out;
  }

  /** Lines of the values of the root mapping's `items` sequence. */
  private noteItemLines(value: unknown): void {
    const seq = this.deref(value);
    if (!isSeq(seq)) return;
    this.itemLines = seq.items.map(item => this.lineOf(this.deref(item)) ?? 0);
  }

  /** A mapping's entries into a new object (`depth`: collections around its values). */
  private mapping(
    pairs: Pair[],
    depth: number,
    inFlow: boolean,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = new Map<string, string>();
    this.fill(out, keys, pairs, depth, inFlow, depth === 1);
    return out;
  }

  /**
   * Sets a mapping's entries on `out` in order, as go-yaml does: a merge
   * key sets the merged map's entries at its place (overwriting earlier
   * keys, overwritten by later ones). `keys` holds each JSON key's Go key
   * (type and value); two different Go keys with one JSON name are refused
   * (kubectl keeps one of them at random).
   */
  private fill(
    out: Record<string, unknown>,
    keys: Map<string, string>,
    pairs: Pair[],
    depth: number,
    inFlow: boolean,
    root: boolean,
  ): void {
    const explicit = new Map<string, number | undefined>();
    for (const pair of pairs) {
      const keyNode = this.deref(pair.key);
      if (
        isScalar(keyNode) &&
        keyNode === pair.key &&
        keyNode.source === '<<' &&
        ((keyNode.type === 'PLAIN' && keyNode.tag === undefined) ||
          keyNode.tag === `${TAG}merge`)
      ) {
        this.merge(out, keys, pair.value, depth, inFlow);
        continue;
      }
      if (!isScalar(keyNode)) {
        this.refuse(
          keyNode === null || keyNode === undefined
            ? 'a mapping entry without a key (kubectl cannot read it)'
            : 'a mapping or sequence used as a key (kubectl cannot read it)',
          pair.key ?? pair.value,
        );
      }
      const resolved = this.scalar(keyNode, inFlow);
      const name = jsonKeyOf(resolved);
      if (name === undefined) {
        this.refuse(
          `the key ${String(keyNode.value) || '(empty)'} is ${
            typeof resolved !== 'string' && resolved.tag === 'uint'
              ? 'an integer too large'
              : 'null'
          } for a JSON name (kubectl refuses it): quote it`,
          keyNode,
        );
      }
      if (explicit.has(name)) {
        const first = explicit.get(name);
        this.refuse(
          `duplicate key ${JSON.stringify(name)}${
            first ? ` (first at line ${first})` : ''
          }: kubectl would keep only the last one`,
          keyNode,
        );
      }
      explicit.set(name, this.lineOf(keyNode));
      this.set(out, keys, name, goKey(resolved), keyNode, () =>
        this.value(pair.value, depth, inFlow),
      );
      if (root && name === 'items') this.noteItemLines(pair.value);
    }
  }

  private set(
    out: Record<string, unknown>,
    keys: Map<string, string>,
    name: string,
    key: string,
    keyNode: unknown,
    value: () => unknown,
  ): void {
    const previous = keys.get(name);
    if (previous !== undefined && previous !== key) {
      this.refuse(
        `two different keys both named ${JSON.stringify(
          name,
        )} in JSON (kubectl keeps one of them at random)`,
        keyNode,
      );
    }
    keys.set(name, key);
    if (name === '__proto__') {
      Object.defineProperty(out, name, {
        value: value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[name] = value();
    }
  }

  /** A merge key's value: a mapping, or a sequence of them (earlier wins). */
  private merge(
    out: Record<string, unknown>,
    keys: Map<string, string>,
    value: unknown,
    depth: number,
    inFlow: boolean,
  ): void {
    const source = this.deref(value);
    const maps: unknown[] = isSeq(source)
      ? [...source.items].reverse()
      : [source];
    for (const item of maps) {
      const map = this.deref(item);
      if (!isMap(map)) {
        this.refuse(
          'map merge requires map or sequence of maps as the value',
          value,
        );
      }
      const viaAlias = map !== item || source !== value;
      if (viaAlias) this.expanding++;
      this.open.add(map);
      this.fill(
        out,
        keys,
        (map as YAMLMap).items as Pair[],
        depth,
        inFlow,
        false,
      );
      this.open.delete(map);
      if (viaAlias) this.expanding--;
    }
  }
}

/** A Go map key's identity: its type and value. */
function goKey(r: ResolvedScalar): string {
  if (typeof r === 'string') return `str:${r}`;
  return `${r.tag}:${r.exact ?? String(r.value)}`;
}

/**
 * Parses YAML text (no byte order mark) into its documents with lines,
 * empty documents left out. Throws SourceTextError with the line.
 */
export function parseYamlWithLibrary(
  text: string,
  file: string,
): SourceDocument[] {
  const counter = new LineCounter();
  counter.addNewLine(0);
  const parser = new Parser(counter.addNewLine);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // Its stack holds the document and at most one token besides the open
    // collections: longer means deeper than the limit.
    if (parser.stack.length > MAX_NESTING_DEPTH + 2) {
      const line = counter.linePos(parser.offset).line;
      throw new SourceTextError(TOO_DEEP, file, line);
    }
  }
  for (const token of parser.end()) tokens.push(token);
  for (const token of tokens) {
    if (token.type !== 'document') continue;
    const offset = tooDeepOffset(token);
    if (offset !== undefined) {
      throw new SourceTextError(TOO_DEEP, file, counter.linePos(offset).line);
    }
  }
  const composer = new Composer({
    schema: 'failsafe',
    merge: false,
    uniqueKeys: false,
  });
  const docs = [...composer.compose(tokens, true, text.length)];
  const out: SourceDocument[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      throw new SourceTextError(
        `not valid YAML (${first.message.split('\n')[0]})`,
        file,
        counter.linePos(first.pos[0]).line,
      );
    }
    const converter = new GoYamlConverter(text, file, counter, doc);
    const value = converter.value(doc.contents, 0, false);
    if (value === null || value === undefined) continue;
    const entry: SourceDocument = {
      file,
      line: converter.lineOf(doc.contents) ?? 1,
      value,
    };
    if (isSeq(doc.contents)) {
      entry.itemLines = doc.contents.items.map(
        item => converter.lineOf(item) ?? entry.line,
      );
    } else if (converter.itemLines) {
      entry.itemLines = converter.itemLines.map(l => l || entry.line);
    }
    out.push(entry);
  }
  return out;
}
