/*
 * YAML scalars as kubectl reads them. kubectl (and the API server) decode
 * YAML with sigs.k8s.io/yaml, i.e. go-yaml v2 with YAML 1.1 rules, then turn
 * it into JSON: `yes`, `on`, `Y` are booleans, `0777` is octal, `1_000` is
 * a thousand, map keys become strings (`yes:` is the key "true"), and
 * values JSON cannot hold (`.inf`, `.nan`) make the whole document fail.
 * Timestamps stay strings, and sexagesimal numbers (`1:30`) are strings.
 * The corpus under __fixtures__/yaml-1.1 holds kubectl's own decoding.
 */

export type ScalarTag = 'str' | 'null' | 'bool' | 'int' | 'uint' | 'float';

/** A scalar that is not a string: its tag and value. */
export interface TypedScalar {
  tag: Exclude<ScalarTag, 'str'>;
  value: number | boolean | null;
  /** Integers beyond 2^53: the exact decimal digits (for keys). */
  exact?: string;
}

/** Strings resolve to themselves; anything else to a TypedScalar. */
export type ResolvedScalar = string | TypedScalar;

const NULL: TypedScalar = { tag: 'null', value: null };
const TRUE: TypedScalar = { tag: 'bool', value: true };
const FALSE: TypedScalar = { tag: 'bool', value: false };
const NAN: TypedScalar = { tag: 'float', value: NaN };
const INF: TypedScalar = { tag: 'float', value: Infinity };
const NEG_INF: TypedScalar = { tag: 'float', value: -Infinity };

/** go-yaml v2's table of plain scalars with a fixed meaning. */
const FIXED: ReadonlyMap<string, TypedScalar> = new Map([
  ...[
    'y',
    'Y',
    'yes',
    'Yes',
    'YES',
    'true',
    'True',
    'TRUE',
    'on',
    'On',
    'ON',
  ].map(s => [s, TRUE] as const),
  ...[
    'n',
    'N',
    'no',
    'No',
    'NO',
    'false',
    'False',
    'FALSE',
    'off',
    'Off',
    'OFF',
  ].map(s => [s, FALSE] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map(s => [s, NULL] as const),
  ...['.nan', '.NaN', '.NAN'].map(s => [s, NAN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(
    s => [s, INF] as const,
  ),
  ...['-.inf', '-.Inf', '-.INF'].map(s => [s, NEG_INF] as const),
]);

/** go-yaml's yamlStyleFloat: decimal floats only (no hex, no `inf`). */
const YAML_STYLE_FLOAT =
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv digit syntax (underscores already removed by go-yaml). */
const DIGITS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

const BIGINT_PREFIX: Record<number, string> = {
  2: '0b',
  8: '0o',
  10: '',
  16: '0x',
};

/**
 * strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): the integer, or
 * undefined when Go would refuse it (bad digits, out of range).
 */
function parseGoInteger(s: string): TypedScalar | undefined {
  let i = 0;
  const sign = s.charCodeAt(0);
  const signed = sign === 0x2b || sign === 0x2d;
  const negative = sign === 0x2d;
  if (signed) i = 1;
  let base = 10;
  if (s.charCodeAt(i) === 0x30 && s.length > i + 1) {
    const p = s.charCodeAt(i + 1) | 0x20;
    if (p === 0x78) base = 16;
    else if (p === 0x6f) base = 8;
    else if (p === 0x62) base = 2;
    if (base !== 10) i += 2;
    else base = 8; // a leading zero: octal
  }
  const digits = s.slice(i);
  if (!DIGITS[base].test(digits)) return undefined;
  // Small decimal numbers (the usual case) need no BigInt.
  if (base === 10 && digits.length <= 15) {
    const n = parseInt(digits, 10);
    return { tag: 'int', value: negative && n !== 0 ? -n : n };
  }
  let big = BigInt(`${BIGINT_PREFIX[base]}${digits}`);
  if (negative) big = -big;
  const exact = big.toString();
  if (big >= INT64_MIN && big <= INT64_MAX) {
    const value = Number(big);
    return Number.isSafeInteger(value)
      ? { tag: 'int', value }
      : { tag: 'int', value, exact };
  }
  // ParseUint takes no sign at all.
  if (!signed && big <= UINT64_MAX) {
    return { tag: 'uint', value: Number(big), exact };
  }
  return undefined;
}

/** strconv.ParseFloat: a finite float, or undefined (range errors too). */
function parseGoFloat(s: string): TypedScalar | undefined {
  const value = Number(s);
  if (!Number.isFinite(value)) return undefined;
  return { tag: 'float', value };
}

/** Go's underscoreOK for a decimal float: `_` only between two digits. */
function goUnderscoresOk(s: string): boolean {
  let saw = '^';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) saw = '0';
    else if (c === 0x5f) {
      if (saw !== '0') return false;
      saw = '_';
    } else if (saw === '_') return false;
    else saw = '!';
  }
  return saw !== '_';
}

/** A plain scalar as go-yaml v2 resolves it (go-yaml's `resolve`). */
export function resolvePlainScalar(s: string): ResolvedScalar {
  const c = s.length === 0 ? 0x4e : s.charCodeAt(0);
  // go-yaml's hint table: only these first characters can be non-strings.
  const isDigit = c >= 0x30 && c <= 0x39;
  const isSign = c === 0x2b || c === 0x2d;
  if (
    !isDigit &&
    !isSign &&
    c !== 0x2e && // .
    // y Y n N t T f F o O ~, and the empty string
    !(
      c === 0x79 ||
      c === 0x59 ||
      c === 0x6e ||
      c === 0x4e ||
      c === 0x74 ||
      c === 0x54 ||
      c === 0x66 ||
      c === 0x46 ||
      c === 0x6f ||
      c === 0x4f ||
      c === 0x7e
    )
  ) {
    return s;
  }
  const fixed = FIXED.get(s);
  if (fixed) return fixed;
  if (c === 0x2e) {
    // `.5`: strconv.ParseFloat on the text as it is.
    if (!/^\.[0-9_]+(?:[eE][-+]?[0-9_]+)?$/.test(s)) return s;
    if (s.includes('_') && !goUnderscoresOk(s)) return s;
    return parseGoFloat(s.replace(/_/g, '')) ?? s;
  }
  if (!isDigit && !isSign) return s;
  // Digits or a sign: an integer, else a decimal float, with every `_` dropped.
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const int = parseGoInteger(plain);
  if (int) return int;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const float = parseGoFloat(plain);
    if (float) return float;
  }
  return s;
}

/** The value of a resolved scalar. */
export function scalarValue(r: ResolvedScalar): unknown {
  return typeof r === 'string' ? r : r.value;
}

/** strconv.FormatFloat(f, 'g', -1, 32): shortest float32 digits, Go's %g. */
export function formatGoFloat32(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const x = Math.fround(f);
  // Too large for a float32: Go prints +Inf, which sigs.k8s.io/yaml renames.
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Shortest precision that reads back as the same float32.
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = x.toExponential(p - 1);
    if (Math.fround(Number(e)) === x) {
      const [mantissa, power] = e.split('e');
      digits = mantissa.replace('-', '').replace('.', '');
      exp = Number(power);
      break;
    }
  }
  const sign = x < 0 ? '-' : '';
  // Go's %g with the shortest precision: %e when the exponent is < -4 or >= 6.
  if (exp < -4 || exp >= 6) {
    const mantissa =
      digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A map key as sigs.k8s.io/yaml writes it into JSON: strings as they are,
 * booleans and numbers printed the Go way. `undefined` for keys it refuses
 * (null, and integers above the int64 range).
 */
export function jsonKeyOf(r: ResolvedScalar): string | undefined {
  if (typeof r === 'string') return r;
  switch (r.tag) {
    case 'bool':
      return r.value ? 'true' : 'false';
    case 'int':
      return r.exact ?? String(r.value);
    case 'float':
      return formatGoFloat32(r.value as number);
    default:
      return undefined; // null, uint64
  }
}
