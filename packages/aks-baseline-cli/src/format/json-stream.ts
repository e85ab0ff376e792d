/*
 * JSON written piece by piece, byte for byte what JSON.stringify(value,
 * null, 2) gives, so that a report of any size never becomes one string.
 * A `lazyList` stands for an array whose items are made and written one by
 * one (findings, results); everything else is stringified whole.
 */

const LAZY = Symbol('lazyList');

/** An array whose items are produced only when written. */
export interface LazyList<T = unknown> {
  readonly [LAZY]: () => Iterable<T>;
}

export function lazyList<S, T>(
  source: Iterable<S>,
  map: (item: S) => T,
): LazyList<T> {
  return {
    [LAZY]: function* mapped() {
      for (const item of source) yield map(item);
    },
  };
}

function isLazy(value: unknown): value is LazyList {
  return typeof value === 'object' && value !== null && LAZY in value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/** Whether JSON.stringify leaves a property out. */
function omitted(value: unknown): boolean {
  return (
    value === undefined ||
    typeof value === 'function' ||
    typeof value === 'symbol'
  );
}

function stringifyAt(value: unknown, indent: string): string {
  // In arrays JSON.stringify writes what it would omit from objects as null.
  const text = omitted(value) ? 'null' : JSON.stringify(value, null, 2);
  // Strings in JSON never hold a raw newline: every newline is layout.
  return indent ? text.replace(/\n/g, `\n${indent}`) : text;
}

function* entries(
  pairs: Iterable<[string | undefined, unknown]>,
  open: string,
  close: string,
  indent: string,
): Generator<string> {
  const inner = `${indent}  `;
  let first = true;
  for (const [key, value] of pairs) {
    yield first ? `${open}\n${inner}` : `,\n${inner}`;
    first = false;
    if (key !== undefined) yield `${JSON.stringify(key)}: `;
    yield* jsonChunks(value, inner);
  }
  yield first ? `${open}${close}` : `\n${indent}${close}`;
}

function* itemsOf(list: LazyList): Generator<[undefined, unknown]> {
  for (const item of list[LAZY]()) yield [undefined, item];
}

/** Whether an object or array holds a lazy list, a few levels down at most. */
function holdsLazy(value: unknown, levels = 4): boolean {
  if (levels === 0) return false;
  const children = Array.isArray(value)
    ? value
    : isPlainObject(value) && Object.values(value);
  if (!children) return false;
  return children.some(v => isLazy(v) || holdsLazy(v, levels - 1));
}

/**
 * Pieces of `JSON.stringify(value, null, 2)`, indented by `indent`: lazy
 * lists item by item, the objects and arrays that hold them entry by entry,
 * anything else whole.
 */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  if (isLazy(value)) {
    yield* entries(itemsOf(value), '[', ']', indent);
  } else if (Array.isArray(value) && holdsLazy(value)) {
    yield* entries(
      value.map(v => [undefined, v] as [undefined, unknown]),
      '[',
      ']',
      indent,
    );
  } else if (holdsLazy(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter(k => !omitted(record[k]));
    yield* entries(
      keys.map(k => [k, record[k]] as [string, unknown]),
      '{',
      '}',
      indent,
    );
  } else {
    yield stringifyAt(value, indent);
  }
}
