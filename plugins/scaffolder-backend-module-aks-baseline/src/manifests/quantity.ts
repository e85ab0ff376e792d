/*
 * Kubernetes resource quantities (`500m`, `2Gi`, `1.5`, `1e3`), validated the
 * way the API server parses them, so that a bad value is rejected in the
 * form instead of by a 422 half-way through a namespace.
 */

// sign, digits with an optional fraction, then one suffix: binary SI,
// decimal SI or a decimal exponent.
const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const MULTIPLIERS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Whether `value` is a Kubernetes quantity (negative ones included).
 *
 * @public
 */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

/**
 * The numeric value of a quantity (approximate for very large values, which
 * is enough to compare them), or `undefined` if it is not one.
 *
 * @public
 */
export function parseQuantity(value: string): number | undefined {
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const base = Number(digits) * (sign === '-' ? -1 : 1);
  if (suffix.startsWith('e') || suffix.startsWith('E')) {
    return base * 10 ** Number(suffix.slice(1));
  }
  return base * MULTIPLIERS[suffix];
}

/**
 * Why `value` is not a non-negative quantity, or `undefined` if it is one.
 *
 * @public
 */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return 'must be a quantity such as "500m", "2", "4Gi"';
  }
  const text = String(value);
  const parsed = parseQuantity(text);
  if (parsed === undefined) {
    return `"${text}" is not a Kubernetes quantity (examples: "500m", "2", "4Gi")`;
  }
  if (parsed < 0) return `"${text}" is negative`;
  return undefined;
}

/**
 * Why `value` is not a non-negative whole count (`persistentvolumeclaims`).
 *
 * @public
 */
export function countProblem(value: unknown): string | undefined {
  const problem = quantityProblem(value);
  if (problem) return problem;
  const parsed = parseQuantity(String(value))!;
  if (!Number.isInteger(parsed)) {
    return `"${value}" is not a whole number of objects`;
  }
  return undefined;
}
