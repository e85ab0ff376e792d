/*
 * Kubernetes documents → KubeObjects. Accepts `kubectl get -o json` Lists
 * (`kind: List` or `FooList`), single objects, JSON arrays and multi-document
 * YAML. Objects of kinds no rule reads (and every Secret) are dropped and
 * counted (custom resources are kept when the rules declare them), and so are objects of a known kind name in another tool's API
 * group (an Istio Gateway, counted as `Gateway (networking.istio.io/v1)`).
 * An object of a built-in kind in any Kubernetes group (an
 * `extensions/v1beta1` Deployment) is kept, and rules report its apiVersion.
 * Objects of known kinds are validated where rules rely on shape (metadata,
 * and the typed fields of kubernetes-shape.ts), so a malformed file fails
 * with its path instead of being half read; an incomplete one (a kustomize
 * patch without a pod template) or one without an apiVersion (kubectl
 * refuses it) is listed in `skipped` with the reason.
 */
import { BUILT_IN_KINDS, FORBIDDEN_KINDS, KindTable } from '../engine/kinds';
import { KubeObject, SkippedObject } from '../engine/types';
import { describeValue, guard, joinPath, SnapshotReadError } from './errors';
import { checkKindShape, IncompleteObjectError } from './kubernetes-shape';
import { parseDocuments } from './parse';

/** @public */
export interface KubernetesReadResult {
  objects: KubeObject[];
  /** Dropped objects by kind (`Secret`, `ConfigMap`, `Gateway (networking.istio.io/v1)`). */
  ignoredKinds: Record<string, number>;
  /** Objects of a known kind name that were not kept, with file, path and reason. */
  skipped?: SkippedObject[];
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(file: string, path: string, detail: string): never {
  throw new SnapshotReadError(file, path, detail);
}

function checkStringMap(value: unknown, file: string, path: string): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    fail(file, path, `expected an object, found ${describeValue(value)}`);
  }
  for (const key in value) {
    if (typeof value[key] !== 'string') {
      fail(
        file,
        joinPath(path, key),
        `expected a string, found ${describeValue(value[key])}`,
      );
    }
  }
}

function checkMetadata(meta: unknown, file: string, path: string): void {
  if (!isObject(meta)) {
    fail(file, path, `expected an object, found ${describeValue(meta)}`);
  }
  if (typeof meta.name !== 'string' || meta.name === '') {
    fail(
      file,
      joinPath(path, 'name'),
      `expected a non-empty string, found ${describeValue(meta.name)}`,
    );
  }
  if (
    meta.namespace !== undefined &&
    meta.namespace !== null &&
    typeof meta.namespace !== 'string'
  ) {
    fail(
      file,
      joinPath(path, 'namespace'),
      `expected a string, found ${describeValue(meta.namespace)}`,
    );
  }
  checkStringMap(meta.labels, file, joinPath(path, 'labels'));
  checkStringMap(meta.annotations, file, joinPath(path, 'annotations'));
  const owners = meta.ownerReferences;
  if (owners !== undefined && owners !== null) {
    if (!Array.isArray(owners)) {
      fail(
        file,
        joinPath(path, 'ownerReferences'),
        `expected a list, found ${describeValue(owners)}`,
      );
    }
    for (let i = 0; i < owners.length; i++) {
      const o = owners[i];
      if (
        !isObject(o) ||
        typeof o.kind !== 'string' ||
        typeof o.name !== 'string'
      ) {
        fail(
          file,
          `${joinPath(path, 'ownerReferences')}[${i}]`,
          'expected an object with kind and name',
        );
      }
    }
  }
}

/** Records an object that is not kept, with what identifies it. */
function skip(
  out: KubernetesReadResult,
  doc: Record<string, any>,
  file: string,
  path: string,
  reason: string,
): void {
  const skipped: SkippedObject = { file, path, kind: doc.kind, reason };
  if (typeof doc.apiVersion === 'string') skipped.apiVersion = doc.apiVersion;
  const meta = isObject(doc.metadata) ? doc.metadata : undefined;
  if (typeof meta?.name === 'string') skipped.name = meta.name;
  if (typeof meta?.namespace === 'string') skipped.namespace = meta.namespace;
  (out.skipped ??= []).push(skipped);
}

/**
 * Adds the objects of one parsed document (object, List or array) to `out`,
 * keeping the kinds of `kinds` (the built-in ones and the custom resources
 * the rules declare, see kindsToRead).
 */
export function collectKubernetesObjects(
  doc: unknown,
  file: string,
  out: KubernetesReadResult,
  path = '',
  kinds: KindTable = BUILT_IN_KINDS,
): void {
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      collectKubernetesObjects(doc[i], file, out, `${path}[${i}]`, kinds);
    }
    return;
  }
  if (!isObject(doc)) {
    fail(
      file,
      path,
      `expected a Kubernetes object, found ${describeValue(doc)}`,
    );
  }
  const kind = doc.kind;
  if (typeof kind !== 'string' || kind === '') {
    fail(
      file,
      joinPath(path, 'kind'),
      `expected a Kubernetes kind, found ${describeValue(kind)}`,
    );
  }
  const apiVersion = doc.apiVersion;
  if (apiVersion !== undefined && typeof apiVersion !== 'string') {
    fail(
      file,
      joinPath(path, 'apiVersion'),
      `expected a string, found ${describeValue(apiVersion)}`,
    );
  }
  if (kind === 'List' || (kind.endsWith('List') && doc.items !== undefined)) {
    const items = doc.items;
    if (items === null || items === undefined) return;
    if (!Array.isArray(items)) {
      fail(
        file,
        joinPath(path, 'items'),
        `expected a list, found ${describeValue(items)}`,
      );
    }
    // Items of a typed List (`DeploymentList`) may omit their kind.
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -4);
    for (let i = 0; i < items.length; i++) {
      let item = items[i];
      if (itemKind && isObject(item) && item.kind === undefined) {
        item = {
          ...item,
          kind: itemKind,
          apiVersion: item.apiVersion ?? apiVersion,
        };
      }
      collectKubernetesObjects(
        item,
        file,
        out,
        `${joinPath(path, 'items')}[${i}]`,
        kinds,
      );
    }
    return;
  }
  if (FORBIDDEN_KINDS.includes(kind)) {
    // Never keep secret material, not even in memory.
    out.ignoredKinds[kind] = (out.ignoredKinds[kind] ?? 0) + 1;
    return;
  }
  const info = kinds.forObject(apiVersion, kind);
  if (!info) {
    // Another tool's kind of the same name is labelled with its group.
    const label = kinds.info(kind) ? `${kind} (${apiVersion})` : kind;
    out.ignoredKinds[label] = (out.ignoredKinds[label] ?? 0) + 1;
    return;
  }
  checkMetadata(doc.metadata, file, joinPath(path, 'metadata'));
  for (const key of ['spec', 'status']) {
    const v = doc[key];
    if (v !== undefined && v !== null && !isObject(v)) {
      fail(
        file,
        joinPath(path, key),
        `expected an object, found ${describeValue(v)}`,
      );
    }
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    // kubectl and the API server refuse it: never filled in silently.
    skip(
      out,
      doc,
      file,
      path,
      `apiVersion is missing: kubectl refuses an object without one (write apiVersion: ${info.apiVersion})`,
    );
    return;
  }
  try {
    checkKindShape(doc, info.kind, file, path);
  } catch (error) {
    if (!(error instanceof IncompleteObjectError)) throw error;
    // A fragment (a kustomize patch, a partial example): evaluating it as an
    // object without containers would pass every container rule.
    const field = path
      ? error.path.slice(path.length).replace(/^\./, '')
      : error.path;
    skip(
      out,
      doc,
      file,
      path,
      `incomplete ${kind}: ${field} is required but missing (a patch or a fragment? scan the rendered objects)`,
    );
    return;
  }
  out.objects.push(doc as KubeObject);
}

/**
 * Reads Kubernetes objects from already parsed documents.
 *
 * @public
 */
export function readKubernetesDocuments(
  docs: readonly unknown[],
  file: string,
  kinds: KindTable = BUILT_IN_KINDS,
): KubernetesReadResult {
  return guard(file, () => {
    const out: KubernetesReadResult = { objects: [], ignoredKinds: {} };
    if (docs.length === 1) {
      collectKubernetesObjects(docs[0], file, out, '', kinds);
    } else {
      for (let i = 0; i < docs.length; i++) {
        collectKubernetesObjects(docs[i], file, out, `document[${i}]`, kinds);
      }
    }
    return out;
  });
}

/**
 * Reads Kubernetes objects from JSON or (multi-document) YAML text.
 *
 * @public
 */
export function readKubernetesText(
  text: string,
  file: string,
  kinds: KindTable = BUILT_IN_KINDS,
): KubernetesReadResult {
  return guard(file, () =>
    readKubernetesDocuments(parseDocuments(text, file), file, kinds),
  );
}

/** Appends `from`'s skipped objects to `into`. */
export function addSkipped(
  into: SkippedObject[],
  from: readonly SkippedObject[] | undefined,
): void {
  if (from) for (const s of from) into.push(s);
}

/** Adds `from`'s ignored-kind counts into `into`. */
export function addIgnoredKinds(
  into: Record<string, number>,
  from: Record<string, number>,
): void {
  for (const kind of Object.keys(from)) {
    into[kind] = (into[kind] ?? 0) + from[kind];
  }
}
