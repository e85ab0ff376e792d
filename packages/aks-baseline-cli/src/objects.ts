/*
 * What becomes of each object read. The engine's reader keeps what the
 * rules read (the built-in kinds and the custom resources of --rules); of
 * the rest, objects of kinds no rule reads (ConfigMaps, other tools'
 * resources, Secrets) are ignored and counted by kind, and objects of a
 * kind the rules read, written in a Kubernetes API version the engine does
 * not evaluate, are skipped: listed with their place and reason, never
 * silently dropped. The engine's snapshot is checked against these counts.
 */
import {
  ClusterSnapshot,
  FORBIDDEN_KINDS,
  isKubernetesGroup,
  groupOf,
  KindTable,
  NamedDocument,
  SkippedObject,
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

/** A List whose `items` is null or missing: empty, as the engine reads it. */
function isEmptyList(value: Record<string, any>): boolean {
  return (
    isListDocument(value) && (value.items === null || value.items === undefined)
  );
}

/**
 * Calls `fn` for each item of a List. Items of a typed List (`DeploymentList`)
 * that omit their kind get it, and the List's apiVersion, as the engine's
 * reader gives them.
 */
function forEachItem(
  list: Record<string, any>,
  fn: (item: unknown, index: number) => void,
): void {
  const itemKind =
    list.kind === 'List' ? undefined : (list.kind as string).slice(0, -4);
  (list.items as unknown[]).forEach((item, i) => {
    if (itemKind && isObject(item) && item.kind === undefined) {
      const apiVersion = item.apiVersion ?? list.apiVersion;
      fn({ ...item, kind: itemKind, apiVersion }, i);
    } else {
      fn(item, i);
    }
  });
}

/** Calls `fn` for every object of a Kubernetes document with its line. */
export function forEachObject(
  doc: SourceDocument,
  fn: (object: unknown, line: number) => void,
): void {
  const value = doc.value;
  const lineOf = (i: number) => doc.itemLines?.[i] ?? doc.line;
  if (Array.isArray(value)) {
    value.forEach((item, i) => fn(item, lineOf(i)));
  } else if (!isObject(value)) {
    return;
  } else if (isListDocument(value) && Array.isArray(value.items)) {
    forEachItem(value, (item, i) => fn(item, lineOf(i)));
  } else if (isEmptyList(value)) {
    return;
  } else {
    fn(value, doc.line);
  }
}

export type ObjectFate =
  | { fate: 'evaluated' }
  | { fate: 'ignored'; label: string }
  | { fate: 'skipped'; reason: string; object: SkippedDocument['object'] };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The built-in kinds alone: no custom rules. */
const BUILT_IN_KINDS = new KindTable();

/**
 * The fate of one object (not a List), decided as the engine's reader
 * decides what it keeps with the same kinds (Secrets never, then
 * `forObject`), and labelled as it counts what it drops. Undefined for what
 * the reader rejects (no kind): its error says why.
 */
export function fateOf(
  object: Record<string, any>,
  kinds: KindTable = BUILT_IN_KINDS,
): ObjectFate | undefined {
  const kind = text(object.kind);
  if (!kind) return undefined;
  const apiVersion = text(object.apiVersion);
  if (FORBIDDEN_KINDS.includes(kind)) return { fate: 'ignored', label: kind };
  if (kinds.forObject(apiVersion, kind)) return { fate: 'evaluated' };
  const info = kinds.info(kind);
  if (!info) return { fate: 'ignored', label: kind };
  if (!isKubernetesGroup(groupOf(apiVersion))) {
    return { fate: 'ignored', label: `${kind} (${apiVersion})` };
  }
  const meta = isObject(object.metadata) ? object.metadata : {};
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

/**
 * What became of the objects read, one by one, and every object as a
 * document named by its place, for the engine's reader (which validates
 * them once, its errors then naming the file and line).
 */
export class Fates {
  /** Objects the engine evaluates. */
  evaluated = 0;
  /** Kinds no rule reads, by kind. */
  readonly ignoredKinds: Record<string, number> = {};
  readonly documents: NamedDocument[] = [];
  private readonly places = new Map<string, { file: string; line: number }>();

  /** `kinds`: the kinds the scan's rules read, as given to the engine's reader. */
  constructor(
    readonly skipped: SkippedDocument[],
    private readonly kinds: KindTable = BUILT_IN_KINDS,
  ) {}

  add(object: unknown, file: string, line: number): void {
    // A List inside a List: its items, at the line of the inner List.
    if (isObject(object) && typeof object.kind === 'string') {
      if (isListDocument(object) && Array.isArray(object.items)) {
        forEachItem(object, item => this.add(item, file, line));
        return;
      }
      if (isEmptyList(object)) return;
    }
    const name = `${file}:${line}`;
    this.places.set(name, { file, line });
    this.documents.push({ file: name, value: object });
    const fate = isObject(object) ? fateOf(object, this.kinds) : undefined;
    if (fate?.fate === 'evaluated') this.evaluated++;
    else if (fate?.fate === 'ignored') {
      this.ignoredKinds[fate.label] = (this.ignoredKinds[fate.label] ?? 0) + 1;
    } else if (fate) {
      this.skipped.push({
        file,
        line,
        reason: fate.reason,
        object: fate.object,
      });
    }
  }

  /** Names a document given to the engine apart (`az aks show`, context). */
  place(name: string, file: string, line: number): void {
    this.places.set(name, { file, line });
  }

  /** The engine's error about a document, at that document's file and line. */
  inputError(error: SnapshotReadError): InputError {
    const place = this.places.get(error.file);
    if (!place) return new InputError(error.message);
    const detail = error.message.slice(error.file.length + 2);
    return new InputError(detail, place.file, place.line);
  }

  /**
   * Takes what the engine's reader skipped (an incomplete object: a patch
   * without a pod template) into the skipped list, at its file and line
   * (`locate` places documents not named here, a snapshot folder's files),
   * and checks that every object was evaluated, ignored or skipped as
   * counted: the snapshot holds `extra` objects more (namespace context).
   */
  settle(
    snapshot: ClusterSnapshot,
    locate: (s: SkippedObject) => { file: string; line?: number } | undefined,
    extra = 0,
  ): void {
    const incomplete = snapshot.skipped ?? [];
    const dropped = Object.values(snapshot.ignoredKinds).reduce(
      (a, b) => a + b,
      0,
    );
    const ignored = Object.values(this.ignoredKinds).reduce((a, b) => a + b, 0);
    const skippedObjects = this.skipped.filter(s => s.object).length;
    if (
      snapshot.objects.length + incomplete.length !== this.evaluated + extra ||
      dropped !== ignored + skippedObjects
    ) {
      throw new Error(
        `the engine kept ${snapshot.objects.length} objects, skipped ${incomplete.length} and dropped ${dropped}; the CLI counted ${this.evaluated} to evaluate, ${ignored} ignored and ${skippedObjects} skipped`,
      );
    }
    this.evaluated -= incomplete.length;
    for (const s of incomplete) {
      const place = this.places.get(s.file) ?? locate(s);
      const object = {
        kind: s.kind,
        ...(s.apiVersion ? { apiVersion: s.apiVersion } : {}),
        ...(s.namespace ? { namespace: s.namespace } : {}),
        ...(s.name ? { name: s.name } : {}),
      };
      const shown = describeResource({
        kind: s.kind,
        namespace: s.namespace,
        name: s.name ?? '(no name)',
      });
      this.skipped.push({
        file: place?.file ?? s.file,
        ...(place?.line !== undefined ? { line: place.line } : {}),
        reason: `${shown}: ${s.reason}`,
        object,
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
