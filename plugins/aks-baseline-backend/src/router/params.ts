import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** A query parameter given once, not empty; undefined when absent. */
export function singleParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${name} must be a single non-empty value`);
  }
  return value.trim();
}

/** An entity ref parameter (`defaultKind` when it names none), or undefined. */
export function entityRefParam(
  value: unknown,
  name: string,
  defaultKind: string,
): string | undefined {
  const ref = singleParam(value, name);
  if (!ref) return undefined;
  return parseRef(ref, name, defaultKind);
}

/** One entity ref, normalised (`kind:namespace/name`, lower-case kind). */
export function parseRef(
  ref: string,
  name: string,
  defaultKind?: string,
): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch (error) {
    throw new InputError(`Invalid ${name} "${ref}"`);
  }
}
