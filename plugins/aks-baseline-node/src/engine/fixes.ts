/*
 * Building blocks for rules' `fix` functions: evidence paths as JSON
 * Pointers, the JSON Patch that sets a value at an evidence path, and the
 * az arguments that name a managed cluster.
 */
import { JsonPatchOperation } from '@aks-baseline/plugin-aks-baseline-common';
import { ManagedClusterModel } from './types';

/** `spec.containers[0].securityContext` → `['spec', 'containers', 0, 'securityContext']`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      out.push(part);
      continue;
    }
    if (match[1] !== '') out.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) {
      out.push(Number(index[1]));
    }
  }
  return out;
}

/** RFC 6901: `~` and `/` in a key are escaped. */
function pointer(segments: readonly (string | number)[]): string {
  return segments
    .map(s => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** An evidence path as a JSON Pointer: `/spec/containers/0/securityContext`. */
export function toJsonPointer(path: string): string {
  return pointer(pathSegments(path));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(parent: unknown, key: string | number): unknown {
  if (typeof key === 'number') {
    return Array.isArray(parent) ? parent[key] : undefined;
  }
  return isObject(parent) ? parent[key] : undefined;
}

/**
 * The JSON Patch that sets `value` at an evidence path of `object`: one
 * `add` at the path when its parent exists, else at the first missing
 * object on the way, holding the rest (`securityContext: { field: value }`).
 */
export function setAtPathPatch(
  object: unknown,
  path: string,
  value: unknown,
): JsonPatchOperation[] {
  const segments = pathSegments(path);
  let current: unknown = object;
  let depth = 0;
  // Walk down the parents that exist as objects or arrays.
  while (depth < segments.length - 1) {
    const next = child(current, segments[depth]);
    if (!isObject(next) && !Array.isArray(next)) break;
    current = next;
    depth++;
  }
  let nested: unknown = value;
  for (let i = segments.length - 1; i > depth; i--) {
    nested = { [String(segments[i])]: nested };
  }
  return [
    { op: 'add', path: pointer(segments.slice(0, depth + 1)), value: nested },
  ];
}

/**
 * `--resource-group <group> --name <cluster>` from the cluster's ARM id,
 * for commands with the real names; undefined when the id does not say.
 */
export function azClusterArguments(
  mc: ManagedClusterModel,
): string | undefined {
  const match =
    typeof mc.id === 'string'
      ? /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i.exec(
          mc.id,
        )
      : null;
  if (!match) return undefined;
  return `--resource-group ${shellWord(match[1])} --name ${shellWord(
    match[2],
  )}`;
}

/** A word for a POSIX shell: as is when safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w.()-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
