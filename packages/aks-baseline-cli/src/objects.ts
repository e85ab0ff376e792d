/*
 * What becomes of each object read. The engine's reader decides what it
 * evaluates; of the rest, objects of kinds no rule reads (ConfigMaps, other
 * tools' resources, Secrets) are ignored and counted by kind, and objects
 * of a kind the rules read, written in a Kubernetes API version the engine
 * does not evaluate, are skipped: listed with their place and reason, never
 * silently dropped.
 */
import {
  FORBIDDEN_KINDS,
  groupOf,
  kindInfo,
  KubeObject,
  readKubernetesDocuments,
  SnapshotReadError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from './errors';
import { SourceDocument } from './load/documents';
import { describeResource, SkippedDocument } from './report';

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `az aks show`, ARM REST or SDK output: a managed cluster, not a Kubernetes object. */
export function looksLikeManagedCluster(value: unknown): boolean {
  // ARM documents have a `kind` too (`Base`), but never Kubernetes metadata.
  if (!isObject(value) || isObject(value.metadata)) return false;
  if (typeof value.type === 'string' && /managedclusters$/i.test(value.type)) {
    return true;
  }
  return (
    Array.isArray(value.agentPoolProfiles) ||
    (isObject(value.properties) &&
      Array.isArray(value.properties.agentPoolProfiles))
  );
}

export function isKubernetesDocument(value: unknown): boolean {
  if (Array.isArray(value))
    return value.length === 0 || value.some(isKubernetesDocument);
  return isObject(value) && typeof value.kind === 'string' && value.kind !== '';
}

export function isListDocument(value: Record<string, any>): boolean {
  const kind = value.kind as string;
  return (
    kind === 'List' || (kind.endsWith('List') && value.items !== undefined)
  );
}

/**
 * Calls `fn` for every object of a Kubernetes document with its line. Items
 * of a typed List (`DeploymentList`) that omit their kind get it, and the
 * List's apiVersion, as the engine's reader gives them.
 */
export function forEachObject(
  doc: SourceDocument,
  fn: (object: unknown, line: number) => void,
): void {
  const value = doc.value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => fn(item, doc.itemLines?.[i] ?? doc.line));
    return;
  }
  if (!isObject(value)) return;
  if (isListDocument(value) && Array.isArray(value.items)) {
    const itemKind =
      value.kind === 'List' ? undefined : (value.kind as string).slice(0, -4);
    value.items.forEach((item: unknown, i: number) => {
      const line = doc.itemLines?.[i] ?? doc.line;
      if (itemKind && isObject(item) && item.kind === undefined) {
        const apiVersion = item.apiVersion ?? value.apiVersion;
        fn({ ...item, kind: itemKind, apiVersion }, line);
      } else {
        fn(item, line);
      }
    });
    return;
  }
  fn(value, doc.line);
}

export type ObjectFate =
  | { fate: 'evaluated'; objects: KubeObject[] }
  | { fate: 'ignored'; label: string }
  | { fate: 'skipped'; reason: string; object: SkippedDocument['object'] };

/**
 * Kubernetes' own API groups (core, `apps`, `extensions`, `*.k8s.io`, SIG
 * `*.x-k8s.io`): a known kind there is the kind the rules read. Elsewhere
 * it is another tool's kind with the same name (an Istio Gateway).
 */
function isKubernetesGroup(group: string): boolean {
  return !group.includes('.') || /\.(x-)?k8s\.io$/.test(group);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The fate of one object (not a List: its items one by one). `name` is how
 * the engine names it in errors; a malformed object of a kind the rules
 * read throws the engine's SnapshotReadError.
 */
export function fateOf(object: Record<string, any>, name: string): ObjectFate {
  const result = readKubernetesDocuments([object], name);
  const [label] = Object.keys(result.ignoredKinds);
  if (result.objects.length > 0 || label === undefined) {
    return { fate: 'evaluated', objects: result.objects };
  }
  const kind = String(object.kind);
  const apiVersion = text(object.apiVersion);
  const info = kindInfo(kind);
  if (
    !info ||
    FORBIDDEN_KINDS.includes(kind) ||
    !isKubernetesGroup(groupOf(apiVersion))
  ) {
    return { fate: 'ignored', label };
  }
  const meta = object.metadata ?? {};
  const ref = {
    kind,
    ...(apiVersion ? { apiVersion } : {}),
    ...(text(meta.namespace) ? { namespace: meta.namespace } : {}),
    ...(text(meta.name) ? { name: meta.name } : {}),
  };
  const shown = describeResource({
    kind,
    namespace: ref.namespace,
    name: ref.name ?? '(no name)',
  });
  return {
    fate: 'skipped',
    object: ref,
    reason: `${shown}: apiVersion ${apiVersion} is not evaluated (the rules read ${kind} as ${info.apiVersion})`,
  };
}

/** The fate of one object; the engine's errors name its file and line. */
export function objectFate(
  object: unknown,
  file: string,
  line: number,
): ObjectFate {
  if (!isObject(object)) {
    throw new InputError(
      `expected a Kubernetes object, found ${
        Array.isArray(object) ? 'an array' : String(object)
      }`,
      file,
      line,
    );
  }
  const name = `${file}:${line}`;
  try {
    return fateOf(object, name);
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) throw error;
    throw new InputError(error.message.slice(name.length + 2), file, line);
  }
}

/** What became of the objects read, one by one. */
export class Fates {
  /** What the engine evaluates. */
  readonly evaluated: KubeObject[] = [];
  /** Kinds no rule reads, by kind. */
  readonly ignoredKinds: Record<string, number> = {};

  constructor(readonly skipped: SkippedDocument[]) {}

  add(object: unknown, file: string, line: number): void {
    const fate = objectFate(object, file, line);
    if (fate.fate === 'evaluated') {
      for (const o of fate.objects) this.evaluated.push(o);
    } else if (fate.fate === 'ignored') {
      this.ignoredKinds[fate.label] = (this.ignoredKinds[fate.label] ?? 0) + 1;
    } else {
      this.skipped.push({
        file,
        line,
        reason: fate.reason,
        object: fate.object,
      });
    }
  }
}

/** Counts by label, the largest first (then by label). */
export function sortedCounts(
  counts: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  const keys = Object.keys(counts).sort((a, b) => {
    if (counts[a] !== counts[b]) return counts[b] - counts[a];
    if (a === b) return 0;
    return a < b ? -1 : 1;
  });
  for (const key of keys) out[key] = counts[key];
  return out;
}
