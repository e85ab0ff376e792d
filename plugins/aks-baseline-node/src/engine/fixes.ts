/*
 * Building blocks for rules' `fix` functions: evidence paths as JSON
 * Pointers, the JSON Patch that sets a value at an evidence path, and the
 * az arguments that name a managed cluster.
 */
import { JsonPatchOperation } from '@aks-baseline/plugin-aks-baseline-common';
import { ManagedClusterModel } from './types';

/**
 * `spec.containers[0].securityContext` → `['spec', 'containers', 0, 'securityContext']`.
 *
 * @public
 */
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

/**
 * An evidence path as a JSON Pointer: `/spec/containers/0/securityContext`.
 *
 * @public
 */
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
 *
 * @public
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
 * Subscription, resource group and name of a managed cluster, from its ARM id.
 *
 * @public
 */
export function clusterIdParts(
  mc: ManagedClusterModel,
): { subscription: string; resourceGroup: string; name: string } | undefined {
  const match =
    typeof mc.id === 'string'
      ? /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i.exec(
          mc.id,
        )
      : null;
  return match
    ? { subscription: match[1], resourceGroup: match[2], name: match[3] }
    : undefined;
}

/**
 * `--subscription <id> --resource-group <group> --name <cluster>` from the
 * cluster's ARM id, for commands with the real names; undefined when the id
 * does not say.
 *
 * @public
 */
export function azClusterArguments(
  mc: ManagedClusterModel,
): string | undefined {
  const parts = clusterIdParts(mc);
  if (!parts) return undefined;
  return `--subscription ${shellWord(
    parts.subscription,
  )} --resource-group ${shellWord(parts.resourceGroup)} --name ${shellWord(
    parts.name,
  )}`;
}

/**
 * `--subscription <id> --resource-group <group> --cluster-name <cluster>`
 * (`az aks nodepool` and `az aks maintenanceconfiguration`), then
 * `--name <pool>` when a pool is named; undefined without the ARM id.
 *
 * @public
 */
export function azNodePoolArguments(
  mc: ManagedClusterModel,
  pool?: string,
): string | undefined {
  const parts = clusterIdParts(mc);
  if (!parts) return undefined;
  const names = `--subscription ${shellWord(
    parts.subscription,
  )} --resource-group ${shellWord(
    parts.resourceGroup,
  )} --cluster-name ${shellWord(parts.name)}`;
  return pool === undefined ? names : `${names} --name ${shellWord(pool)}`;
}

/** A word for a POSIX shell: as is when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w.()-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
