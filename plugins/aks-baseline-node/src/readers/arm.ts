/*
 * Azure Resource Manager documents → the SDK-shaped models of types.ts.
 *
 * Accepted shapes for every document:
 * - `az aks ... -o json` (camelCase, az's own spellings: `enableRbac`,
 *   `authorizedIpRanges`, `osSku`, `issuerUrl`, addon keys in any case);
 * - ARM REST JSON (a `properties` envelope, `enableAzureRBAC`,
 *   kebab-case `autoScalerProfile` keys);
 * - `@azure/arm-containerservice` SDK objects (the target shape);
 * - wrappers: an azure-rest-api-specs example (`responses."200".body`) and an
 *   azure-sdk-for-js recording (`Entries[0].ResponseBody`, object or string).
 *
 * Nulls (az prints every unset field as null) are dropped, so rules only
 * ever see `undefined` for unset values. Inputs are never mutated.
 */
import {
  AgentPoolModel,
  KubernetesVersionModel,
  MaintenanceConfigurationModel,
  ManagedClusterModel,
  UpgradeProfileModel,
} from '../engine/types';
import { describeValue, guard, joinPath, SnapshotReadError } from './errors';
import { parseJsonText } from './parse';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** az and REST spellings → the SDK's, for schema keys (not map keys). */
const KEY_RENAMES: Record<string, string> = {
  enableRbac: 'enableRBAC',
  enableAzureRBAC: 'enableAzureRbac',
  authorizedIpRanges: 'authorizedIPRanges',
  adminGroupObjectIds: 'adminGroupObjectIDs',
  issuerUrl: 'issuerURL',
  nodeOsUpgradeChannel: 'nodeOSUpgradeChannel',
  osSku: 'osSKU',
  osDiskSizeGb: 'osDiskSizeGB',
  enableNodePublicIp: 'enableNodePublicIP',
  nodePublicIpPrefixId: 'nodePublicIPPrefixID',
  vnetSubnetId: 'vnetSubnetID',
  podSubnetId: 'podSubnetID',
  dnsServiceIp: 'dnsServiceIP',
  enableUltraSsd: 'enableUltraSSD',
  diskEncryptionSetId: 'diskEncryptionSetID',
  azurePortalFqdn: 'azurePortalFQDN',
  outboundIpPrefixes: 'outboundIPPrefixes',
  capacityReservationGroupId: 'capacityReservationGroupID',
  hostGroupId: 'hostGroupID',
  proximityPlacementGroupId: 'proximityPlacementGroupID',
};

/** Maps whose keys are data (tag names, label keys, resource ids), not schema. */
const DATA_MAPS = new Set([
  'tags',
  'nodeLabels',
  'config',
  'userAssignedIdentities',
]);

/**
 * Copies a JSON value, dropping nulls and renaming az/REST keys to the SDK's.
 * Keys of data maps are kept as they are (values still lose their nulls).
 */
function normalizeValue(value: unknown, renameKeys: boolean): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (item !== null && item !== undefined) {
        out.push(normalizeValue(item, renameKeys));
      }
    }
    return out;
  }
  if (!isObject(value) || value instanceof Date) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === null || v === undefined) continue;
    const name = renameKeys ? KEY_RENAMES[key] ?? key : key;
    out[name] = normalizeValue(v, !DATA_MAPS.has(key));
  }
  return out;
}

/** `scale-down-delay-after-add` (REST) → `scaleDownDelayAfterAdd` (SDK, az). */
function camelCase(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * Unwraps example and recording envelopes: `responses."200".body` (or 201,
 * or a request's `parameters.parameters`) and `Entries[i].ResponseBody`.
 *
 * @public
 */
export function unwrapArmDocument(doc: unknown, file: string): unknown {
  if (!isObject(doc)) return doc;
  if (isObject(doc.responses)) {
    const responses = doc.responses;
    for (const status of ['200', '201', '202']) {
      const r = responses[status];
      if (isObject(r) && r.body !== undefined) return r.body;
    }
    if (isObject(doc.parameters) && isObject(doc.parameters.parameters)) {
      return doc.parameters.parameters;
    }
    throw new SnapshotReadError(
      file,
      'responses',
      'an API example without a 200/201 response body',
    );
  }
  if (Array.isArray(doc.Entries)) {
    const index = doc.Entries.findIndex(
      e =>
        isObject(e) && e.ResponseBody !== undefined && e.ResponseBody !== null,
    );
    if (index < 0) {
      throw new SnapshotReadError(
        file,
        'Entries',
        'a recording without a ResponseBody',
      );
    }
    const body = (doc.Entries[index] as Json).ResponseBody;
    if (typeof body === 'string') {
      return parseJsonText(body, `${file} (Entries[${index}].ResponseBody)`);
    }
    return body;
  }
  return doc;
}

/** Lifts a REST resource's `properties` next to its top-level fields. */
export function flattenProperties(doc: Json, file: string, path: string): Json {
  if (doc.properties === undefined || doc.properties === null) return doc;
  if (!isObject(doc.properties)) {
    throw new SnapshotReadError(
      file,
      joinPath(path, 'properties'),
      `expected an object, found ${describeValue(doc.properties)}`,
    );
  }
  const out: Json = {};
  for (const key of Object.keys(doc)) {
    if (key !== 'properties') out[key] = doc[key];
  }
  for (const key of Object.keys(doc.properties)) {
    out[key] = doc.properties[key];
  }
  return out;
}

export function expectObject(value: unknown, file: string, path: string): Json {
  if (!isObject(value)) {
    throw new SnapshotReadError(
      file,
      path,
      `expected an object, found ${describeValue(value)}`,
    );
  }
  return value;
}

function expectString(value: unknown, file: string, path: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new SnapshotReadError(
      file,
      path,
      `expected a non-empty string, found ${describeValue(value)}`,
    );
  }
  return value;
}

export function optionalArray(
  value: unknown,
  file: string,
  path: string,
): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new SnapshotReadError(
      file,
      path,
      `expected a list, found ${describeValue(value)}`,
    );
  }
  return value;
}

function checkStringMap(value: unknown, file: string, path: string): void {
  if (value === undefined || value === null) return;
  const map = expectObject(value, file, path);
  for (const key of Object.keys(map)) {
    const v = map[key];
    if (v !== null && typeof v !== 'string') {
      throw new SnapshotReadError(
        file,
        joinPath(path, key),
        `expected a string, found ${describeValue(v)}`,
      );
    }
  }
}

/** An agent pool in any shape (REST `properties` or flat) → AgentPoolModel. */
export function normalizeAgentPool(
  doc: unknown,
  file: string,
  path = '',
): AgentPoolModel {
  const raw = flattenProperties(expectObject(doc, file, path), file, path);
  expectString(raw.name, file, joinPath(path, 'name'));
  checkStringMap(raw.nodeLabels, file, joinPath(path, 'nodeLabels'));
  checkStringMap(raw.tags, file, joinPath(path, 'tags'));
  for (const key of ['availabilityZones', 'nodeTaints']) {
    const list = optionalArray(raw[key], file, joinPath(path, key));
    list?.forEach((item, i) => {
      if (item !== null && typeof item !== 'string') {
        throw new SnapshotReadError(
          file,
          `${joinPath(path, key)}[${i}]`,
          `expected a string, found ${describeValue(item)}`,
        );
      }
    });
  }
  return normalizeValue(raw, true) as AgentPoolModel;
}

/**
 * A managed cluster from `az aks show -o json`, ARM REST JSON, an SDK object
 * or a wrapped example/recording → ManagedClusterModel.
 *
 * @public
 */
export function normalizeManagedCluster(
  doc: unknown,
  file = 'managed cluster',
): ManagedClusterModel {
  return guard(file, () => normalizeManagedClusterValue(doc, file));
}

function normalizeManagedClusterValue(
  doc: unknown,
  file: string,
): ManagedClusterModel {
  const unwrapped = unwrapArmDocument(doc, file);
  const raw = flattenProperties(expectObject(unwrapped, file, ''), file, '');
  expectString(raw.name, file, 'name');
  checkStringMap(raw.tags, file, 'tags');

  const pools = optionalArray(raw.agentPoolProfiles, file, 'agentPoolProfiles');
  const addons =
    raw.addonProfiles === undefined || raw.addonProfiles === null
      ? undefined
      : expectObject(raw.addonProfiles, file, 'addonProfiles');
  const scaler =
    raw.autoScalerProfile === undefined || raw.autoScalerProfile === null
      ? undefined
      : expectObject(raw.autoScalerProfile, file, 'autoScalerProfile');
  for (const key of [
    'aadProfile',
    'apiServerAccessProfile',
    'networkProfile',
    'securityProfile',
    'autoUpgradeProfile',
    'oidcIssuerProfile',
    'podIdentityProfile',
    'azureMonitorProfile',
    'windowsProfile',
    'ingressProfile',
    'identity',
    'sku',
    'powerState',
  ]) {
    if (raw[key] !== undefined && raw[key] !== null) {
      expectObject(raw[key], file, key);
    }
  }

  const rest: Json = {};
  for (const key of Object.keys(raw)) {
    if (
      key !== 'agentPoolProfiles' &&
      key !== 'addonProfiles' &&
      key !== 'autoScalerProfile'
    ) {
      rest[key] = raw[key];
    }
  }
  const model = normalizeValue(rest, true) as ManagedClusterModel;
  if (pools) {
    model.agentPoolProfiles = pools.map((p, i) =>
      normalizeAgentPool(p, file, `agentPoolProfiles[${i}]`),
    );
  }
  if (addons) {
    const out: Record<string, any> = {};
    for (const key of Object.keys(addons)) {
      const addon = addons[key];
      if (addon === null || addon === undefined) continue;
      expectObject(addon, file, joinPath('addonProfiles', key));
      out[key.toLowerCase()] = normalizeValue(addon, true);
    }
    model.addonProfiles = out;
  }
  if (scaler) {
    const out: Record<string, string | boolean | undefined> = {};
    for (const key of Object.keys(scaler)) {
      const v = scaler[key];
      if (v === null || v === undefined) continue;
      if (
        typeof v !== 'string' &&
        typeof v !== 'boolean' &&
        typeof v !== 'number'
      ) {
        throw new SnapshotReadError(
          file,
          joinPath('autoScalerProfile', key),
          `expected a string, found ${describeValue(v)}`,
        );
      }
      out[camelCase(key)] = typeof v === 'number' ? String(v) : v;
    }
    model.autoScalerProfile = out;
  }
  return model;
}

/** Items of a list document: `{ value: [...] }`, an array, or one item. */
export function listItems(
  doc: unknown,
  file: string,
): { items: unknown[]; path: (i: number) => string } {
  const unwrapped = unwrapArmDocument(doc, file);
  if (Array.isArray(unwrapped)) {
    return { items: unwrapped, path: i => `[${i}]` };
  }
  if (isObject(unwrapped) && Array.isArray(unwrapped.value)) {
    return { items: unwrapped.value, path: i => `value[${i}]` };
  }
  if (isObject(unwrapped) && unwrapped.value !== undefined) {
    throw new SnapshotReadError(
      file,
      'value',
      `expected a list, found ${describeValue(unwrapped.value)}`,
    );
  }
  return { items: [unwrapped], path: () => '' };
}

/**
 * Agent pool documents (`az aks nodepool list`, REST list or get).
 *
 * @public
 */
export function normalizeAgentPools(
  doc: unknown,
  file = 'agent pools',
): AgentPoolModel[] {
  return guard(file, () => normalizeAgentPoolsValue(doc, file));
}

function normalizeAgentPoolsValue(
  doc: unknown,
  file: string,
): AgentPoolModel[] {
  const { items, path } = listItems(doc, file);
  return items.map((item, i) => normalizeAgentPool(item, file, path(i)));
}

/**
 * Merges separately read agent pools into the cluster's `agentPoolProfiles`:
 * a pool document's fields win (it is the fuller read), pools unknown to the
 * cluster document are appended. Returns a new model.
 *
 * @public
 */
export function mergeAgentPools(
  cluster: ManagedClusterModel,
  pools: readonly AgentPoolModel[],
): ManagedClusterModel {
  const merged: AgentPoolModel[] = (cluster.agentPoolProfiles ?? []).map(p => ({
    ...p,
  }));
  for (const pool of pools) {
    const i = merged.findIndex(p => p.name === pool.name);
    if (i >= 0) merged[i] = { ...merged[i], ...pool };
    else merged.push({ ...pool });
  }
  return { ...cluster, agentPoolProfiles: merged };
}

/**
 * Maintenance configurations: a list (`value` or array) or one document.
 *
 * @public
 */
export function normalizeMaintenanceConfigurations(
  doc: unknown,
  file = 'maintenance configurations',
): MaintenanceConfigurationModel[] {
  return guard(file, () => normalizeMaintenanceConfigurationsValue(doc, file));
}

function normalizeMaintenanceConfigurationsValue(
  doc: unknown,
  file: string,
): MaintenanceConfigurationModel[] {
  const { items, path } = listItems(doc, file);
  return items.map((item, i) => {
    const p = path(i);
    const raw = flattenProperties(expectObject(item, file, p), file, p);
    expectString(raw.name, file, joinPath(p, 'name'));
    optionalArray(raw.timeInWeek, file, joinPath(p, 'timeInWeek'));
    if (raw.maintenanceWindow !== undefined && raw.maintenanceWindow !== null) {
      expectObject(
        raw.maintenanceWindow,
        file,
        joinPath(p, 'maintenanceWindow'),
      );
    }
    return normalizeValue(raw, true) as MaintenanceConfigurationModel;
  });
}

/**
 * `az aks get-upgrades -o json` or the REST/SDK upgrade profile.
 *
 * @public
 */
export function normalizeUpgradeProfile(
  doc: unknown,
  file = 'upgrade profile',
): UpgradeProfileModel {
  return guard(file, () => normalizeUpgradeProfileValue(doc, file));
}

function normalizeUpgradeProfileValue(
  doc: unknown,
  file: string,
): UpgradeProfileModel {
  const unwrapped = unwrapArmDocument(doc, file);
  const raw = flattenProperties(expectObject(unwrapped, file, ''), file, '');
  if (
    raw.controlPlaneProfile !== undefined &&
    raw.controlPlaneProfile !== null
  ) {
    const cp = expectObject(
      raw.controlPlaneProfile,
      file,
      'controlPlaneProfile',
    );
    const upgrades = optionalArray(
      cp.upgrades,
      file,
      'controlPlaneProfile.upgrades',
    );
    upgrades?.forEach((u, i) => {
      if (u !== null)
        expectObject(u, file, `controlPlaneProfile.upgrades[${i}]`);
    });
  }
  optionalArray(raw.agentPoolProfiles, file, 'agentPoolProfiles');
  return normalizeValue(raw, true) as UpgradeProfileModel;
}

/**
 * `listKubernetesVersions` / `az aks get-versions -o json` (`values`), a
 * plain array of versions, or the older orchestrators format
 * (`orchestrators[].orchestratorVersion`), grouped into minors.
 *
 * @public
 */
export function normalizeKubernetesVersions(
  doc: unknown,
  file = 'kubernetes versions',
): KubernetesVersionModel[] {
  return guard(file, () => normalizeKubernetesVersionsValue(doc, file));
}

function normalizeKubernetesVersionsValue(
  doc: unknown,
  file: string,
): KubernetesVersionModel[] {
  const unwrapped = unwrapArmDocument(doc, file);
  let list: unknown[];
  let base: string;
  if (Array.isArray(unwrapped)) {
    list = unwrapped;
    base = '';
  } else if (isObject(unwrapped) && unwrapped.values !== undefined) {
    list = optionalArray(unwrapped.values, file, 'values') ?? [];
    base = 'values';
  } else if (isObject(unwrapped)) {
    const raw = flattenProperties(unwrapped, file, '');
    const orchestrators = optionalArray(
      raw.orchestrators,
      file,
      'orchestrators',
    );
    if (!orchestrators) {
      throw new SnapshotReadError(
        file,
        '',
        'expected Kubernetes versions (`values`, `orchestrators` or a list)',
      );
    }
    return fromOrchestrators(orchestrators, file);
  } else {
    throw new SnapshotReadError(
      file,
      '',
      `expected an object or a list, found ${describeValue(unwrapped)}`,
    );
  }
  return list.map((item, i) => {
    const p = base ? `${base}[${i}]` : `[${i}]`;
    const v = expectObject(item, file, p);
    expectString(v.version, file, joinPath(p, 'version'));
    if (v.patchVersions !== undefined && v.patchVersions !== null) {
      expectObject(v.patchVersions, file, joinPath(p, 'patchVersions'));
    }
    if (v.capabilities !== undefined && v.capabilities !== null) {
      const caps = expectObject(
        v.capabilities,
        file,
        joinPath(p, 'capabilities'),
      );
      optionalArray(
        caps.supportPlan,
        file,
        joinPath(p, 'capabilities.supportPlan'),
      );
    }
    return normalizeValue(v, true) as KubernetesVersionModel;
  });
}

function fromOrchestrators(
  list: unknown[],
  file: string,
): KubernetesVersionModel[] {
  const byMinor = new Map<string, KubernetesVersionModel>();
  list.forEach((item, i) => {
    const p = `orchestrators[${i}]`;
    const o = expectObject(item, file, p);
    const version = expectString(
      o.orchestratorVersion,
      file,
      joinPath(p, 'orchestratorVersion'),
    );
    const m = /^(\d+)\.(\d+)/.exec(version);
    if (!m) {
      throw new SnapshotReadError(
        file,
        joinPath(p, 'orchestratorVersion'),
        `expected a version like 1.31.2, found ${describeValue(version)}`,
      );
    }
    const minor = `${m[1]}.${m[2]}`;
    let entry = byMinor.get(minor);
    if (!entry) {
      entry = { version: minor, patchVersions: {} };
      if (o.isPreview === true) entry.isPreview = true;
      byMinor.set(minor, entry);
    } else if (o.isPreview !== true) {
      delete entry.isPreview;
    }
    const upgrades = Array.isArray(o.upgrades)
      ? o.upgrades
          .map(u => (isObject(u) ? u.orchestratorVersion : undefined))
          .filter((u): u is string => typeof u === 'string')
      : [];
    entry.patchVersions![version] = { upgrades };
  });
  return [...byMinor.values()];
}
