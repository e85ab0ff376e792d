/*
 * Building fixes for the built-in rules: JSON Patches that set values at
 * evidence paths of the object as read, the object a fix targets, new
 * objects placed next to a manifest, and az commands with the cluster's
 * real names.
 */
import {
  Evidence,
  FixSuggestion,
  JsonPatchOperation,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  azClusterArguments,
  azNodePoolArguments,
  setAtPathPatch,
} from '../../engine/fixes';
import {
  KubeObject,
  ManagedClusterModel,
  WorkloadView,
} from '../../engine/types';
import { RuleContext } from '../../engine/rule';
import { applyJsonPatchInPlace } from '../../fix/json-patch';
import { arrayIndex, isRecord, parsePointer } from '../../fix/pointer';

/** The object a patch targets, as the finding names it. */
export function targetOf(object: KubeObject): ResourceRef {
  const ref: ResourceRef = {
    kind: object.kind,
    name: object.metadata?.name ?? '',
  };
  if (object.metadata?.namespace) ref.namespace = object.metadata.namespace;
  if (object.apiVersion) ref.apiVersion = object.apiVersion;
  return ref;
}

/** A workload's target: its ref (the namespace as resolved for the finding). */
export function workloadTarget(w: WorkloadView): ResourceRef {
  return {
    kind: w.kind,
    name: w.name,
    namespace: w.namespace,
    ...(w.object.apiVersion ? { apiVersion: w.object.apiVersion } : {}),
  };
}

/**
 * The JSON Patch that sets each value at its evidence path, each operation
 * worked out on the object as the previous ones left it (two fields of one
 * missing securityContext do not overwrite each other).
 */
export function setValuesPatch(
  object: unknown,
  values: readonly { path: string; value: unknown }[],
): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  let current = object;
  values.forEach(({ path, value }, i) => {
    const ops = setAtPathPatch(current, path, value);
    operations.push(...ops);
    if (i < values.length - 1) current = patchedAlongPaths(current, ops);
  });
  return operations;
}

/** `value` with each container on `segments` copied (shallow). */
function copiedAlong(value: unknown, segments: readonly string[]): unknown {
  if (segments.length > 0 && (Array.isArray(value) || isRecord(value))) {
    const copy: any = Array.isArray(value) ? [...value] : { ...value };
    const key = Array.isArray(copy)
      ? arrayIndex(segments[0], copy.length)
      : segments[0];
    if (segments.length > 1 && key in copy) {
      copy[key] = copiedAlong(copy[key], segments.slice(1));
    }
    return copy;
  }
  return value;
}

/**
 * The object with the operations applied, copying only the containers on
 * their paths: the input is not changed, and a cluster's large objects are
 * not copied whole for each value of a fix.
 */
function patchedAlongPaths(
  object: unknown,
  operations: readonly JsonPatchOperation[],
): unknown {
  let root = object;
  for (const operation of operations) {
    root = copiedAlong(root, parsePointer(operation.path));
    if ('from' in operation) {
      root = copiedAlong(root, parsePointer(operation.from));
    }
    root = applyJsonPatchInPlace(root, [operation]);
  }
  return root;
}

/**
 * A JSON Patch fix of a workload from its evidence: `valueFor` gives the
 * value for each evidence path (undefined: leave that one).
 */
export function workloadEvidencePatch(
  w: WorkloadView,
  evidence: readonly Evidence[],
  valueFor: (e: Evidence) => unknown,
  summary: string,
  adapt?: string,
): FixSuggestion | undefined {
  const values: { path: string; value: unknown }[] = [];
  for (const e of evidence) {
    const value = valueFor(e);
    if (value !== undefined) values.push({ path: e.path, value });
  }
  if (values.length === 0) return undefined;
  return {
    kind: 'patch',
    target: workloadTarget(w),
    format: 'json-patch',
    operations: setValuesPatch(w.object, values),
    summary,
    ...(adapt ? { adapt } : {}),
  };
}

/** `<what>`: a value the team must fill in. */
export function fillIn(what: string): string {
  return `<${what}>`;
}

/**
 * An az command with the cluster's real names (`names` from
 * {@link azClusterArguments}); undefined without the cluster's ARM id (the
 * remediation then says it in words).
 */
export function azCommand(
  mc: ManagedClusterModel,
  build: (names: string) => string | string[],
  summary: string,
  adapt?: string,
): FixSuggestion | undefined {
  const names = azClusterArguments(mc);
  if (!names) return undefined;
  const command = build(names);
  return {
    kind: 'command',
    command: Array.isArray(command) ? command.join('\n') : command,
    summary,
    ...(adapt ? { adapt } : {}),
  };
}

/**
 * The same for `az aks nodepool` / `maintenanceconfiguration`: `names` ends
 * with `--cluster-name <cluster>` (and `--name <pool>` when `pool` is given).
 */
export function azPoolCommand(
  mc: ManagedClusterModel,
  pool: string | undefined,
  build: (names: string) => string | string[],
  summary: string,
  adapt?: string,
): FixSuggestion | undefined {
  const names = azNodePoolArguments(mc, pool);
  if (!names) return undefined;
  const command = build(names);
  return {
    kind: 'command',
    command: Array.isArray(command) ? command.join('\n') : command,
    summary,
    ...(adapt ? { adapt } : {}),
  };
}

/** A fix that must be done by hand, with why. */
export function manualFix(reason: string): FixSuggestion {
  return { kind: 'manual', reason };
}

/** RFC 6901 escaping of one key. */
function escapeKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The JSON Patch that sets labels (or annotations) of an object's
 * metadata, creating the map when the object has none.
 */
export function metadataMapPatch(
  object: KubeObject,
  field: 'labels' | 'annotations',
  entries: Record<string, string>,
): JsonPatchOperation[] {
  const existing = object.metadata?.[field];
  if (!object.metadata) {
    return [{ op: 'add', path: '/metadata', value: { [field]: entries } }];
  }
  if (!existing || typeof existing !== 'object') {
    return [{ op: 'add', path: `/metadata/${field}`, value: entries }];
  }
  return Object.entries(entries).map(([key, value]) => ({
    op: 'add' as const,
    path: `/metadata/${field}/${escapeKey(key)}`,
    value,
  }));
}

/**
 * `base`, or `base-2`, `base-3`, ... when an object of that kind and name
 * is already in the namespace: applying a new object never replaces one.
 */
export function unusedName(
  ctx: RuleContext,
  kind: string,
  namespace: string,
  base: string,
): string {
  const taken = new Set(
    ctx.index.inNamespace(namespace, kind).map(o => o.metadata.name),
  );
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}
