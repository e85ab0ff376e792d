/*
 * Assembling a ClusterSnapshot from documents already in memory (the
 * backend's live reads, the CLI's files, the directory reader). Each
 * document is read with its file name so errors say where the problem is.
 */
import {
  BUILT_IN_KINDS,
  crdName,
  KindInfo,
  KindTable,
  KNOWN_KINDS,
} from '../engine/kinds';
import {
  ArmReads,
  ClusterSnapshot,
  KindCoverage,
  KubeObject,
  SkippedObject,
} from '../engine/types';
import {
  mergeAgentPools,
  normalizeAgentPools,
  normalizeKubernetesVersions,
  normalizeMaintenanceConfigurations,
  normalizeManagedCluster,
  normalizeUpgradeProfile,
} from './arm';
import {
  exampleApiVersion,
  normalizeBackupInstances,
  normalizeDeploymentSafeguards,
  normalizeMeshRevisions,
} from './arm-reads';
import { describeValue, guard, SnapshotReadError } from './errors';
import { parseDocuments } from './parse';
import {
  addIgnoredKinds,
  addSkipped,
  KubernetesReadResult,
  readKubernetesDocuments,
  readKubernetesText,
} from './kubernetes';

/**
 * A document and the name it is reported under.
 *
 * @public
 */
export interface NamedDocument {
  file: string;
  /** Parsed JSON/YAML value... */
  value?: unknown;
  /** ...or the text (JSON or YAML) to parse. */
  text?: string;
}

/** @public */
export interface SnapshotInput {
  /** Defaults to the managed cluster's name. Required without one. */
  name?: string;
  /** `az aks show`, REST or SDK managed cluster (or a wrapped example). */
  managedCluster?: NamedDocument;
  agentPools?: NamedDocument;
  maintenanceConfigurations?: NamedDocument;
  upgradeProfile?: NamedDocument;
  kubernetesVersions?: NamedDocument;
  /** The cluster's Deployment Safeguards (`deploymentSafeguards` list or resource). */
  deploymentSafeguards?: NamedDocument;
  /** Data Protection backup instances of the cluster. */
  backupInstances?: NamedDocument;
  /** The region's Istio revisions (`meshRevisionProfiles/istio`). */
  meshRevisions?: NamedDocument;
  /** Kubernetes documents: Lists, objects, arrays, multi-document YAML. */
  kubernetes?: NamedDocument[];
  /** Coverage as read from `coverage.json` (validated here). */
  coverage?: NamedDocument;
  /**
   * `cluster` (the default when Kubernetes documents are given): a full dump;
   * CRD-backed kinds without objects and without their CRD in the dump are
   * `absent`. `manifests`: given objects only (the default when no
   * Kubernetes document is given: then only ARM was read).
   */
  mode?: KindCoverage['mode'];
  /**
   * The kinds the rules read (`kindsToRead(rules)`): objects of the custom
   * resources among them are kept as well as the built-in kinds.
   */
  kinds?: readonly KindInfo[];
}

function valueOf(doc: NamedDocument): unknown {
  if (doc.value !== undefined) return doc.value;
  if (typeof doc.text === 'string') {
    return guard(doc.file, () => {
      const docs = parseDocuments(doc.text!, doc.file);
      if (docs.length !== 1) {
        throw new SnapshotReadError(
          doc.file,
          '',
          `expected one document, found ${docs.length}`,
        );
      }
      return docs[0];
    });
  }
  throw new SnapshotReadError(doc.file, '', 'the document is empty');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a `coverage.json` value.
 *
 * @public
 */
export function readCoverage(
  value: unknown,
  file: string,
): Partial<KindCoverage> {
  return guard(file, () => readCoverageValue(value, file));
}

function readCoverageValue(
  value: unknown,
  file: string,
): Partial<KindCoverage> {
  if (!isObject(value)) {
    throw new SnapshotReadError(
      file,
      '',
      `expected an object, found ${describeValue(value)}`,
    );
  }
  const out: Partial<KindCoverage> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    switch (key) {
      case 'mode':
        if (v !== 'cluster' && v !== 'manifests') {
          throw new SnapshotReadError(
            file,
            'mode',
            `expected "cluster" or "manifests", found ${describeValue(v)}`,
          );
        }
        out.mode = v;
        break;
      case 'unreadable': {
        if (!isObject(v)) {
          throw new SnapshotReadError(
            file,
            'unreadable',
            `expected an object of kind → reason, found ${describeValue(v)}`,
          );
        }
        const unreadable: Record<string, string> = {};
        for (const kind of Object.keys(v)) {
          if (typeof v[kind] !== 'string') {
            throw new SnapshotReadError(
              file,
              `unreadable.${kind}`,
              `expected a reason (string), found ${describeValue(v[kind])}`,
            );
          }
          unreadable[kind] = v[kind] as string;
        }
        out.unreadable = unreadable;
        break;
      }
      case 'absentKinds':
      case 'providedKinds': {
        if (!Array.isArray(v) || v.some(k => typeof k !== 'string')) {
          throw new SnapshotReadError(
            file,
            key,
            `expected a list of kinds, found ${describeValue(v)}`,
          );
        }
        out[key] = [...(v as string[])];
        break;
      }
      default:
        throw new SnapshotReadError(
          file,
          key,
          'unknown field; coverage accepts mode, unreadable, absentKinds, providedKinds',
        );
    }
  }
  return out;
}

/**
 * CRD-backed kinds that a full dump shows as not installed: no object of
 * the kind and no CustomResourceDefinition for it.
 *
 * @public
 */
export function inferAbsentKinds(
  objects: readonly KubeObject[],
  unreadable: Record<string, string>,
  kinds: KindTable = BUILT_IN_KINDS,
): string[] {
  const seenKinds = new Set<string>();
  const crds = new Set<string>();
  for (const o of objects) {
    seenKinds.add(o.kind);
    if (o.kind === 'CustomResourceDefinition') crds.add(o.metadata.name);
  }
  const absent: string[] = [];
  for (const info of [...KNOWN_KINDS, ...kinds.customKinds()]) {
    if (!info.crd || seenKinds.has(info.kind)) continue;
    if (Object.prototype.hasOwnProperty.call(unreadable, info.kind)) continue;
    if (!crds.has(crdName(info))) absent.push(info.kind);
  }
  return absent;
}

/**
 * Builds a normalised snapshot from in-memory documents.
 *
 * @public
 */
export function readSnapshot(input: SnapshotInput): ClusterSnapshot {
  const clusterDoc = input.managedCluster
    ? guard(input.managedCluster.file, () => valueOf(input.managedCluster!))
    : undefined;
  let managedCluster = input.managedCluster
    ? guard(input.managedCluster.file, () =>
        normalizeManagedCluster(clusterDoc, input.managedCluster!.file),
      )
    : undefined;
  if (input.agentPools) {
    const doc = input.agentPools;
    const pools = guard(doc.file, () =>
      normalizeAgentPools(valueOf(doc), doc.file),
    );
    if (!managedCluster) {
      throw new SnapshotReadError(
        doc.file,
        '',
        'agent pools were given without the managed cluster',
      );
    }
    managedCluster = mergeAgentPools(managedCluster, pools);
  }
  const read = <T>(
    doc: NamedDocument | undefined,
    fn: (value: unknown, file: string) => T,
  ): T | undefined =>
    doc ? guard(doc.file, () => fn(valueOf(doc), doc.file)) : undefined;

  const maintenanceConfigurations = read(
    input.maintenanceConfigurations,
    normalizeMaintenanceConfigurations,
  );
  const upgradeProfile = read(input.upgradeProfile, normalizeUpgradeProfile);
  const kubernetesVersions = read(
    input.kubernetesVersions,
    normalizeKubernetesVersions,
  );
  const coverageIn = read(input.coverage, readCoverage) ?? {};
  const arm: ArmReads = {};
  const apiVersion = exampleApiVersion(clusterDoc);
  if (apiVersion) arm.apiVersion = apiVersion;
  const safeguards = read(
    input.deploymentSafeguards,
    normalizeDeploymentSafeguards,
  );
  if (safeguards) arm.deploymentSafeguards = safeguards;
  const backups = read(input.backupInstances, normalizeBackupInstances);
  if (backups) arm.backupInstances = backups;
  const revisions = read(input.meshRevisions, normalizeMeshRevisions);
  if (revisions) arm.meshRevisions = revisions;

  const kinds = input.kinds ? new KindTable(input.kinds) : BUILT_IN_KINDS;
  const objects: KubeObject[] = [];
  const ignoredKinds: Record<string, number> = {};
  const skipped: SkippedObject[] = [];
  for (const doc of input.kubernetes ?? []) {
    let result: KubernetesReadResult;
    if (doc.value !== undefined) {
      result = guard(doc.file, () =>
        readKubernetesDocuments([doc.value], doc.file, kinds),
      );
    } else if (typeof doc.text === 'string') {
      result = readKubernetesText(doc.text, doc.file, kinds);
    } else {
      throw new SnapshotReadError(doc.file, '', 'the document is empty');
    }
    for (const o of result.objects) objects.push(o);
    addIgnoredKinds(ignoredKinds, result.ignoredKinds);
    addSkipped(skipped, result.skipped);
  }

  const name = input.name ?? managedCluster?.name;
  if (!name) {
    throw new SnapshotReadError(
      input.kubernetes?.[0]?.file ?? 'snapshot',
      '',
      'the snapshot has no name: give one, or a managed cluster document',
    );
  }
  // Without any Kubernetes document the Kubernetes side was not read (a
  // snapshot folder with cluster.json only): nothing of it is evidence.
  const kubernetesGiven = (input.kubernetes?.length ?? 0) > 0;
  const mode =
    coverageIn.mode ??
    input.mode ??
    (kubernetesGiven ? 'cluster' : 'manifests');
  const unreadable = coverageIn.unreadable ?? {};
  const absent = new Set(coverageIn.absentKinds ?? []);
  if (mode === 'cluster') {
    for (const kind of inferAbsentKinds(objects, unreadable, kinds)) {
      absent.add(kind);
    }
  }
  const coverage: KindCoverage = {
    mode,
    unreadable,
    absentKinds: [...absent].sort(),
  };
  if (coverageIn.providedKinds)
    coverage.providedKinds = coverageIn.providedKinds;

  const snapshot: ClusterSnapshot = {
    name,
    objects,
    coverage,
    ignoredKinds,
  };
  if (skipped.length > 0) snapshot.skipped = skipped;
  const customKinds = kinds.customKinds();
  if (customKinds.length > 0) snapshot.customKinds = customKinds;
  if (managedCluster) snapshot.managedCluster = managedCluster;
  if (maintenanceConfigurations) {
    snapshot.maintenanceConfigurations = maintenanceConfigurations;
  }
  if (upgradeProfile) snapshot.upgradeProfile = upgradeProfile;
  if (kubernetesVersions) snapshot.kubernetesVersions = kubernetesVersions;
  if (Object.keys(arm).length > 0) snapshot.arm = arm;
  return snapshot;
}
