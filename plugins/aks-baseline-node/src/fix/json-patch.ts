/*
 * RFC 6902 JSON Patch on plain objects, as `kubectl patch --type json`
 * applies it: what a fix does to the object it was worked out from.
 */
import { JsonPatchOperation } from '@aks-baseline/plugin-aks-baseline-common';
import { arrayIndex, isRecord, parsePointer, valueAt } from './pointer';

/**
 * A patch that cannot apply to the object, naming the operation.
 *
 * @public
 */
export class JsonPatchError extends Error {
  constructor(operation: JsonPatchOperation, detail: string) {
    super(`${operation.op} ${operation.path}: ${detail}`);
    this.name = 'JsonPatchError';
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The object with the patch applied (the input is not changed).
 *
 * @public
 */
export function applyJsonPatch<T>(
  object: T,
  operations: readonly JsonPatchOperation[],
): T {
  return applyJsonPatchInPlace(structuredClone(object), operations);
}

/** {@link applyJsonPatch} on `root` itself, for a copy the caller owns. */
export function applyJsonPatchInPlace<T>(
  root: T,
  operations: readonly JsonPatchOperation[],
): T {
  let out: unknown = root;
  for (const operation of operations) {
    out = applyOne(out, operation);
  }
  return out as T;
}

function applyOne(root: unknown, operation: JsonPatchOperation): unknown {
  const segments = parsePointer(operation.path);
  const fail = (detail: string): never => {
    throw new JsonPatchError(operation, detail);
  };
  switch (operation.op) {
    case 'test':
      if (!deepEqual(valueAt(root, segments), operation.value)) {
        fail('the value differs');
      }
      return root;
    case 'add':
    case 'replace':
      return put(root, segments, structuredClone(operation.value), operation);
    case 'remove':
      take(root, segments, operation);
      return root;
    case 'copy':
    case 'move': {
      const from = parsePointer(operation.from);
      const value = valueAt(root, from);
      if (value === undefined) fail(`nothing at ${operation.from}`);
      if (operation.op === 'move') take(root, from, operation);
      return put(root, segments, structuredClone(value), {
        op: 'add',
        path: operation.path,
        value,
      });
    }
    default:
      return fail('unknown operation');
  }
}

function put(
  root: unknown,
  segments: string[],
  value: unknown,
  operation: JsonPatchOperation,
): unknown {
  if (segments.length === 0) return value;
  const parent = valueAt(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length);
    if (index > parent.length) {
      throw new JsonPatchError(operation, 'index past the end of the array');
    }
    if (operation.op === 'replace') {
      if (index >= parent.length) {
        throw new JsonPatchError(operation, 'nothing to replace');
      }
      parent[index] = value;
    } else {
      parent.splice(index, 0, value);
    }
  } else if (isRecord(parent)) {
    if (operation.op === 'replace' && !(last in parent)) {
      throw new JsonPatchError(operation, 'nothing to replace');
    }
    parent[last] = value;
  } else {
    throw new JsonPatchError(operation, 'the parent does not exist');
  }
  return root;
}

function take(
  root: unknown,
  segments: string[],
  operation: JsonPatchOperation,
): void {
  const parent = valueAt(root, segments.slice(0, -1));
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(last, parent.length);
    if (index >= parent.length) {
      throw new JsonPatchError(operation, 'nothing to remove');
    }
    parent.splice(index, 1);
  } else if (isRecord(parent) && last in parent) {
    delete parent[last];
  } else {
    throw new JsonPatchError(operation, 'nothing to remove');
  }
}
