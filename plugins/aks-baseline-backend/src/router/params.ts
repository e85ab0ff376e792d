import { InputError } from '@backstage/errors';

/** A query parameter given once, not empty; undefined when absent. */
export function singleParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${name} must be a single non-empty value`);
  }
  return value.trim();
}
