/*
 * ARM documents beyond the managed cluster that the `AX-` rules read: the
 * cluster's Deployment Safeguards, its Data Protection backup instances and
 * the Istio revisions of its region. Each accepts the REST list (`value`),
 * an array, one resource, or a published API example wrapping them.
 */
import {
  BackupInstanceModel,
  DeploymentSafeguardsModel,
  MeshRevisionModel,
} from '../engine/types';
import {
  expectObject,
  flattenProperties,
  listItems,
  optionalArray,
  unwrapArmDocument,
} from './arm';
import { describeValue, guard, joinPath, SnapshotReadError } from './errors';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops nulls, as the other ARM readers do. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter(v => v !== null && v !== undefined).map(withoutNulls);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (value[key] !== null && value[key] !== undefined)
      out[key] = withoutNulls(value[key]);
  }
  return out;
}

function optionalString(value: unknown, file: string, path: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    throw new SnapshotReadError(
      file,
      path,
      `expected a string, found ${describeValue(value)}`,
    );
  }
}

function stringList(value: unknown, file: string, path: string): void {
  const list = optionalArray(value, file, path);
  list?.forEach((v, i) => optionalString(v, file, `${path}[${i}]`));
}

/**
 * The api-version a published API example was recorded with
 * (`parameters.api-version`), or undefined for any other document.
 *
 * @public
 */
export function exampleApiVersion(doc: unknown): string | undefined {
  if (!isObject(doc) || !isObject(doc.parameters)) return undefined;
  const version = doc.parameters['api-version'];
  return typeof version === 'string' && version !== '' ? version : undefined;
}

/**
 * `deploymentSafeguards` (list or the `default` resource); `[]` when none.
 *
 * @public
 */
export function normalizeDeploymentSafeguards(
  doc: unknown,
  file = 'deployment safeguards',
): DeploymentSafeguardsModel[] {
  return guard(file, () => {
    const { items, path } = listItems(doc, file);
    return items.map((item, i) => {
      const p = path(i);
      const raw = flattenProperties(expectObject(item, file, p), file, p);
      optionalString(raw.level, file, joinPath(p, 'level'));
      optionalString(
        raw.podSecurityStandardsLevel,
        file,
        joinPath(p, 'podSecurityStandardsLevel'),
      );
      stringList(
        raw.excludedNamespaces,
        file,
        joinPath(p, 'excludedNamespaces'),
      );
      stringList(
        raw.systemExcludedNamespaces,
        file,
        joinPath(p, 'systemExcludedNamespaces'),
      );
      return withoutNulls(raw) as DeploymentSafeguardsModel;
    });
  });
}

/**
 * Backup instances of the cluster (`backupInstances` extension routing list).
 *
 * @public
 */
export function normalizeBackupInstances(
  doc: unknown,
  file = 'backup instances',
): BackupInstanceModel[] {
  return guard(file, () => {
    const { items, path } = listItems(doc, file);
    return items.map((item, i) => {
      const p = path(i);
      const raw = flattenProperties(expectObject(item, file, p), file, p);
      if (raw.dataSourceInfo !== undefined && raw.dataSourceInfo !== null) {
        const info = expectObject(
          raw.dataSourceInfo,
          file,
          joinPath(p, 'dataSourceInfo'),
        );
        optionalString(
          info.datasourceType,
          file,
          joinPath(p, 'dataSourceInfo.datasourceType'),
        );
      }
      if (raw.protectionStatus !== undefined && raw.protectionStatus !== null)
        expectObject(
          raw.protectionStatus,
          file,
          joinPath(p, 'protectionStatus'),
        );
      return withoutNulls(raw) as BackupInstanceModel;
    });
  });
}

/**
 * The region's Istio revisions: `meshRevisionProfiles/istio` (or the list of
 * profiles, whose revisions are merged), `az aks mesh get-revisions`.
 *
 * @public
 */
export function normalizeMeshRevisions(
  doc: unknown,
  file = 'mesh revision profiles',
): MeshRevisionModel[] {
  return guard(file, () => {
    const unwrapped = unwrapArmDocument(doc, file);
    const isList = isObject(unwrapped) && Array.isArray(unwrapped.value);
    const profiles = isList ? (unwrapped.value as unknown[]) : [unwrapped];
    const out: MeshRevisionModel[] = [];
    profiles.forEach((profile, i) => {
      const p = isList ? `value[${i}]` : '';
      const raw = flattenProperties(expectObject(profile, file, p), file, p);
      const revisions =
        optionalArray(raw.meshRevisions, file, joinPath(p, 'meshRevisions')) ??
        [];
      revisions.forEach((r, j) => {
        const rp = joinPath(joinPath(p, 'meshRevisions'), j);
        const rev = expectObject(r, file, rp);
        if (typeof rev.revision !== 'string' || rev.revision === '') {
          throw new SnapshotReadError(
            file,
            joinPath(rp, 'revision'),
            `expected a non-empty string, found ${describeValue(rev.revision)}`,
          );
        }
        stringList(rev.upgrades, file, joinPath(rp, 'upgrades'));
        out.push(withoutNulls(rev) as MeshRevisionModel);
      });
    });
    return out;
  });
}
