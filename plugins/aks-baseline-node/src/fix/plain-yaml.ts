/*
 * YAML for the plain fragments fixes show, written directly: the `yaml`
 * package's stringify costs about 0.25 ms a fragment, which the backend
 * pays for every failing finding of every evaluation. Only shapes whose
 * output is certain are written here (maps, lists, integers, booleans,
 * null, and strings the package writes unquoted); anything else
 * returns undefined and is left to the package. The output is the
 * package's, byte for byte (tested on every fix of the rules' fixtures).
 */

/** A key YAML reads back as that string, unquoted: no number, bool or null look-alike. */
const PLAIN_KEY = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/**
 * A value written unquoted by the package and read back as that string:
 * printable ASCII starting with a letter, `_`, `/` or `<` (placeholders),
 * without `: ` or ` #` and not ending with `:` or a space.
 */
const PLAIN_VALUE = /^[A-Za-z_/<][\x20-\x7e]*$/;
const NEEDS_QUOTES = /: | #|[: ]$/;
/** Words some YAML readers take for booleans or null: quoted by the package or not, left to it. */
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;

class Unsure extends Error {}
/** One instance, thrown as often as needed: no stack trace taken per fallback. */
const UNSURE = new Unsure('left to the yaml package');

function key(name: string): string {
  if (PLAIN_KEY.test(name) && !RESERVED.test(name)) return name;
  throw UNSURE;
}

function scalar(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    return String(value);
  }
  if (
    typeof value === 'string' &&
    PLAIN_VALUE.test(value) &&
    !NEEDS_QUOTES.test(value) &&
    !RESERVED.test(value)
  ) {
    return value;
  }
  throw UNSURE;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

function isCollection(value: unknown): boolean {
  return Array.isArray(value) || isMap(value);
}

function isEmpty(value: unknown): boolean {
  return Array.isArray(value)
    ? value.length === 0
    : isMap(value) && Object.keys(value).length === 0;
}

/** Lines of a non-empty map or list at `indent`. */
function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (Array.isArray(item) && !isEmpty(item)) throw UNSURE;
      if (isMap(item) && !isEmpty(item)) {
        // The item's first key follows `- `, the others line up with it.
        const start = out.length;
        lines(item, `${indent}  `, out);
        out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`;
      } else {
        out.push(`${indent}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [k, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) throw UNSURE;
    const name = key(k);
    if (isCollection(item) && !isEmpty(item)) {
      out.push(`${indent}${name}:`);
      // Lists under a key are indented (indentSeq), as maps are.
      lines(item, `${indent}  `, out);
    } else {
      out.push(`${indent}${name}: ${inline(item)}`);
    }
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (isMap(value) && Object.keys(value).length === 0) return '{}';
  return scalar(value);
}

/**
 * The YAML of a non-empty map or list of plain values, as `toYaml` writes
 * it; undefined when the value holds anything this cannot be sure of.
 */
export function plainYaml(value: unknown): string | undefined {
  if (!isCollection(value) || isEmpty(value)) return undefined;
  const out: string[] = [];
  try {
    lines(value, '', out);
  } catch (e) {
    if (e === UNSURE) return undefined;
    throw e;
  }
  return `${out.join('\n')}\n`;
}
