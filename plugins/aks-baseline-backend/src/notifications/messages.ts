/*
 * The notifications' words and links: a topic per kind (users mute them in
 * their settings), and links that open the entity's findings filtered to
 * exactly what changed.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { describeObject, NotificationKind } from './changes';

export const NOTIFICATION_TOPICS: Record<NotificationKind, string> = {
  'score-drop': 'AKS Baseline: score dropped',
  'score-below': 'AKS Baseline: score below threshold',
  'critical-finding': 'AKS Baseline: new critical finding',
  'waiver-expiring': 'AKS Baseline: waiver expiring',
  'waiver-expired': 'AKS Baseline: waiver expired',
  'cluster-stale': 'AKS Baseline: cluster not evaluated',
};

/** Findings listed in a description; the link shows them all. */
const LISTED = 5;

/** The entity's findings tab, filtered (`?cluster=…&severity=critical`). */
export function findingsLink(
  entityRef: string,
  tab: string,
  filters: Record<string, string | undefined>,
): string {
  const ref = parseEntityRef(entityRef);
  const path = `/catalog/${encodeURIComponent(
    ref.namespace.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(
    ref.kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(ref.name)}/${tab}`;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value) query.set(key, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function nameOf(entityRef: string): string {
  return parseEntityRef(entityRef).name;
}

/** The one value all findings share, if they do. */
function shared(
  findings: readonly Finding[],
  pick: (f: Finding) => string | undefined,
): string | undefined {
  const values = new Set(findings.map(pick));
  return values.size === 1 ? [...values][0] : undefined;
}

/** Filters narrowing the findings tab to these findings. */
function filtersOf(findings: readonly Finding[]) {
  return {
    rule: shared(findings, f => f.ruleId),
    namespace: shared(findings, f => f.resource.namespace ?? '-'),
    q: shared(findings, f => f.resource.name),
  };
}

function listOf(findings: readonly Finding[], line: (f: Finding) => string) {
  const lines = findings.slice(0, LISTED).map(f => `• ${line(f)}`);
  if (findings.length > LISTED) {
    lines.push(`… and ${findings.length - LISTED} more`);
  }
  return lines.join('\n');
}

function scope(kind: NotificationKind, entityRef: string, key: string) {
  return `aks-baseline:${kind}:${entityRef}:${key}`;
}

export function scoreDropPayload(input: {
  entityRef: string;
  cluster: string;
  from: number;
  to: number;
  key: string;
  tab: string;
}): NotificationPayload {
  const { entityRef, cluster, from, to } = input;
  return {
    title: `AKS Baseline: ${nameOf(
      entityRef,
    )} fell from ${from} to ${to} on ${cluster}`,
    description: `The AKS baseline score of ${entityRef} on cluster ${cluster} dropped by ${
      from - to
    } points, from ${from} to ${to}.`,
    link: findingsLink(entityRef, input.tab, { cluster, status: 'fail' }),
    severity: 'high',
    topic: NOTIFICATION_TOPICS['score-drop'],
    scope: scope('score-drop', entityRef, input.key),
  };
}

export function scoreBelowPayload(input: {
  entityRef: string;
  cluster: string;
  score: number;
  threshold: number;
  key: string;
  tab: string;
}): NotificationPayload {
  const { entityRef, cluster, score, threshold } = input;
  return {
    title: `AKS Baseline: ${nameOf(
      entityRef,
    )} scores ${score} on ${cluster}, below ${threshold}`,
    description: `The AKS baseline score of ${entityRef} on cluster ${cluster} is ${score}, below the threshold of ${threshold}.`,
    link: findingsLink(entityRef, input.tab, { cluster, status: 'fail' }),
    severity: 'high',
    topic: NOTIFICATION_TOPICS['score-below'],
    scope: scope('score-below', entityRef, input.key),
  };
}

export function criticalFindingsPayload(input: {
  entityRef: string;
  cluster: string;
  findings: readonly Finding[];
  key: string;
  tab: string;
}): NotificationPayload {
  const { entityRef, cluster, findings } = input;
  const n = findings.length;
  return {
    title: `AKS Baseline: ${n} new critical finding${
      n === 1 ? '' : 's'
    } on ${nameOf(entityRef)} (${cluster})`,
    description: listOf(
      findings,
      f =>
        `${f.ruleId} (${f.baselineRef}) on ${describeObject(f)}: ${f.message}`,
    ),
    link: findingsLink(entityRef, input.tab, {
      cluster,
      severity: 'critical',
      status: 'fail',
      ...filtersOf(findings),
    }),
    severity: 'critical',
    topic: NOTIFICATION_TOPICS['critical-finding'],
    scope: scope('critical-finding', entityRef, input.key),
  };
}

export function waiverPayload(input: {
  entityRef: string;
  kind: 'waiver-expiring' | 'waiver-expired';
  findings: readonly Finding[];
  key: string;
  tab: string;
}): NotificationPayload {
  const { entityRef, findings, kind } = input;
  const n = findings.length;
  const expired = kind === 'waiver-expired';
  const waivers = `${n} waiver${n === 1 ? '' : 's'}`;
  return {
    title: expired
      ? `AKS Baseline: ${waivers} on ${nameOf(entityRef)} expired`
      : `AKS Baseline: ${waivers} on ${nameOf(entityRef)} expire soon`,
    description: listOf(
      findings,
      f =>
        `${f.ruleId} on ${describeObject(f)}: ${
          expired ? 'expired' : 'expires'
        } ${f.waiver?.expires} (${f.waiver?.reason})`,
    ),
    link: findingsLink(entityRef, input.tab, {
      status: expired ? 'fail' : 'waived',
      ...filtersOf(findings),
    }),
    severity: expired ? 'high' : 'normal',
    topic: NOTIFICATION_TOPICS[kind],
    scope: scope(kind, entityRef, input.key),
  };
}

export function clusterStalePayload(input: {
  cluster: string;
  since?: string;
  lastError?: string;
  key: string;
}): NotificationPayload {
  const { cluster, since, lastError } = input;
  return {
    title: since
      ? `AKS Baseline: cluster ${cluster} not evaluated since ${since}`
      : `AKS Baseline: cluster ${cluster} has never been evaluated`,
    description: `Its evaluations keep failing${
      lastError ? `; the last error: ${lastError}` : ''
    }. Its scores are ${since ? 'stale' : 'missing'}.`,
    link: '/aks-baseline',
    severity: 'high',
    topic: NOTIFICATION_TOPICS['cluster-stale'],
    scope: scope('cluster-stale', `cluster:${cluster}`, input.key),
  };
}
