/*
 * `scan --cluster <snapshot folder>`: what that cluster would do at
 * admission with the scanned manifests, before they are deployed. Its
 * Deployment Safeguards (level, Pod Security Standards level, excluded
 * namespaces) come from the snapshot's deploymentsafeguards.json, the Pod
 * Security Admission level of each namespace from its Namespace's
 * `pod-security.kubernetes.io/enforce` label (the manifests' own Namespace
 * first: it is applied with them). The decisions are the engine's
 * (admissionControl, namespacePodSecurityControl); nothing is decided here
 * that was not read: what could not be read is said, never taken as "admitted".
 */
import * as path from 'path';
import type {
  FindingAdmission,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  admissionControl,
  ClusterSnapshot,
  DeploymentSafeguardsModel,
  namespacePodSecurityControl,
  readSnapshotDirectory,
  SnapshotReadError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from './errors';
import { displayPath } from './load/inputs';
import { Location, ReportFinding, ScanReport } from './report';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** What the Safeguards mutators change, by the rule whose finding they fix. */
const MUTATIONS: Readonly<Record<string, string>> = {
  'container-resource-requests': 'CPU and memory requests filled in',
  'workload-zone-and-host-spread': 'pod anti-affinity added',
};

/** The admission side of a cluster snapshot. */
export interface AdmissionTarget {
  folder: string;
  cluster: string;
  /** Undefined: not read (`safeguardsUnread` says why); `[]`: none configured. */
  safeguards?: DeploymentSafeguardsModel[];
  safeguardsUnread?: string;
  /** Namespace name → its enforce label (undefined: no label). */
  namespaces: Map<string, string | undefined>;
}

/** An object admission acts on, with what it does and why. */
export interface AdmissionObject {
  resource: ResourceRef;
  location?: Location;
  /** The admission notes of its findings, one per policy. */
  reasons: string[];
  /** What the Safeguards mutators change (also on a denied object: moot until it is fixed). */
  changes?: string[];
}

/** The summary the formats print. */
export interface AdmissionForecast {
  folder: string;
  cluster: string;
  safeguards: {
    level: string | null;
    podSecurityStandardsLevel: string | null;
    excludedNamespaces: string[];
  } | null;
  /** Why Safeguards were not read; absent when read. */
  safeguardsUnread?: string;
  denied: AdmissionObject[];
  mutated: AdmissionObject[];
  warned: AdmissionObject[];
  /** Namespaces of scanned objects neither the snapshot nor the manifests hold. */
  unknownNamespaces: string[];
}

function namespacesOf(
  objects: ClusterSnapshot['objects'],
  into: Map<string, string | undefined>,
) {
  for (const o of objects) {
    if (o.kind !== 'Namespace' || !o.metadata?.name) continue;
    into.set(o.metadata.name, o.metadata.labels?.[ENFORCE_LABEL]);
  }
}

/** Reads the snapshot folder given to --cluster. */
export async function readAdmissionTarget(
  folder: string,
  cwd: string,
): Promise<AdmissionTarget> {
  const dir = path.resolve(cwd, folder);
  let snapshot: ClusterSnapshot;
  try {
    snapshot = await readSnapshotDirectory(dir);
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) throw error;
    const detail = error.message.slice(error.file.length + 2);
    throw new InputError(
      `--cluster: ${detail}`,
      displayPath(error.file || dir, cwd),
    );
  }
  if (!snapshot.managedCluster) {
    throw new InputError(
      '--cluster: not a cluster snapshot folder (no cluster.json managed cluster)',
      displayPath(dir, cwd),
    );
  }
  const namespaces = new Map<string, string | undefined>();
  namespacesOf(snapshot.objects, namespaces);
  const safeguards = snapshot.arm?.deploymentSafeguards;
  return {
    folder: displayPath(dir, cwd),
    cluster: snapshot.name,
    safeguards,
    safeguardsUnread:
      safeguards === undefined
        ? snapshot.arm?.unreadable?.deploymentSafeguards ??
          'the snapshot has no deploymentsafeguards.json'
        : undefined,
    namespaces,
  };
}

const RANK: Record<FindingAdmission['effect'], number> = {
  deny: 0,
  mutate: 1,
  warn: 2,
};

function key(r: ResourceRef) {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/**
 * Marks each failing finding with what admission does about it, and sums
 * up by object: denied (any deny), else mutated, else warned.
 */
export function forecastAdmission(
  report: ScanReport,
  target: AdmissionTarget,
  manifestObjects: ClusterSnapshot['objects'],
): AdmissionForecast {
  const namespaces = new Map(target.namespaces);
  namespacesOf(manifestObjects, namespaces);
  const unknown = new Set<string>();
  const byObject = new Map<
    string,
    {
      f: ReportFinding;
      notes: Map<FindingAdmission['effect'], Set<string>>;
      changes: Set<string>;
    }
  >();

  for (const f of report.findings) {
    if (f.status !== 'fail' || !f.engine) continue;
    const ns = f.resource.namespace;
    if (ns !== undefined && !namespaces.has(ns)) unknown.add(ns);
    const candidates = [
      admissionControl(f.engine, target.safeguards),
      namespacePodSecurityControl(
        f.engine,
        ns ? namespaces.get(ns) : undefined,
      ),
    ].filter((a): a is FindingAdmission => a !== undefined);
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => RANK[a.effect] - RANK[b.effect]);
    f.admission = candidates[0];
    const k = key(f.resource);
    let entry = byObject.get(k);
    if (!entry) {
      entry = { f, notes: new Map(), changes: new Set() };
      byObject.set(k, entry);
    }
    for (const a of candidates) {
      const set = entry.notes.get(a.effect) ?? new Set<string>();
      set.add(a.note);
      entry.notes.set(a.effect, set);
      if (a.effect === 'mutate' && MUTATIONS[f.ruleId]) {
        entry.changes.add(MUTATIONS[f.ruleId]);
      }
    }
  }

  const out: AdmissionForecast = {
    folder: target.folder,
    cluster: target.cluster,
    safeguards: null,
    denied: [],
    mutated: [],
    warned: [],
    unknownNamespaces: [...unknown].sort(),
  };
  const sg =
    target.safeguards?.find(
      s => s.name === undefined || s.name === 'default',
    ) ?? target.safeguards?.[0];
  if (sg) {
    out.safeguards = {
      level: sg.level ?? null,
      podSecurityStandardsLevel: sg.podSecurityStandardsLevel ?? null,
      excludedNamespaces: [
        ...(sg.excludedNamespaces ?? []),
        ...(sg.systemExcludedNamespaces ?? []),
      ],
    };
  }
  if (target.safeguardsUnread) out.safeguardsUnread = target.safeguardsUnread;
  for (const entry of byObject.values()) {
    // The strongest effect decides the list; its notes say why.
    const effect = (['deny', 'mutate', 'warn'] as const).find(e =>
      entry.notes.has(e),
    )!;
    const object: AdmissionObject = {
      resource: entry.f.resource,
      ...(entry.f.location ? { location: entry.f.location } : {}),
      reasons: [...entry.notes.get(effect)!],
      ...(entry.changes.size ? { changes: [...entry.changes] } : {}),
    };
    if (effect === 'deny') out.denied.push(object);
    else if (effect === 'mutate') out.mutated.push(object);
    else out.warned.push(object);
  }
  return out;
}

/** One line per object: `Deployment payments/web (file:line): reasons`. */
export function admissionLines(forecast: AdmissionForecast): string[] {
  const lines: string[] = [];
  const place = (o: AdmissionObject) =>
    `${o.resource.kind} ${
      o.resource.namespace ? `${o.resource.namespace}/` : ''
    }${o.resource.name}${
      o.location ? ` (${o.location.file}:${o.location.line})` : ''
    }`;
  for (const o of forecast.denied) {
    const also = o.changes ? ` (also changed: ${o.changes.join(', ')})` : '';
    lines.push(`DENY    ${place(o)}: ${o.reasons.join('; ')}${also}`);
  }
  for (const o of forecast.mutated) {
    lines.push(
      `MUTATE  ${place(o)}: ${o.changes?.join(', ') || o.reasons.join('; ')}`,
    );
  }
  for (const o of forecast.warned) {
    lines.push(`WARN    ${place(o)}: ${o.reasons.join('; ')}`);
  }
  return lines;
}

/** The headline: Safeguards as read, and the counts. */
export function admissionHeadline(forecast: AdmissionForecast): string {
  let sg = 'no Deployment Safeguards';
  if (forecast.safeguards) {
    const { level, podSecurityStandardsLevel: pss } = forecast.safeguards;
    sg = `Deployment Safeguards ${level ?? 'level not set'}${
      pss ? `, Pod Security Standards ${pss}` : ''
    }`;
  } else if (forecast.safeguardsUnread) {
    sg = `Deployment Safeguards not read (${forecast.safeguardsUnread})`;
  }
  return `At admission on ${forecast.cluster} (${sg}): ${forecast.denied.length} denied, ${forecast.mutated.length} mutated, ${forecast.warned.length} warned`;
}

/** What the forecast could not know, one sentence each. */
export function admissionCaveats(forecast: AdmissionForecast): string[] {
  return forecast.unknownNamespaces.map(
    ns =>
      `namespace ${ns} is neither in the snapshot nor among the manifests: its Pod Security Admission level is unknown`,
  );
}
