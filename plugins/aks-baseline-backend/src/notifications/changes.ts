/*
 * What changed for one entity on one cluster, worked out from its latest
 * score and findings (pure: the log of what was already notified is
 * consulted by the caller). Each change carries the keys that make it one
 * change however many cycles or replicas see it.
 */
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';

export type NotificationKind =
  | 'score-drop'
  | 'score-below'
  | 'critical-finding'
  | 'waiver-expiring'
  | 'waiver-expired'
  | 'cluster-stale';

/** One entity's part of a cluster's evaluation, as it was stored. */
export interface EntityEvaluation {
  entityRef: string;
  summary: { score: number | null };
  findings: readonly Finding[];
}

/** `Deployment shop/storefront`. */
export function describeObject(f: Finding): string {
  const r = f.resource;
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

function objectKey(f: Finding): string {
  const r = f.resource;
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** Keys of the critical failures on `cluster` (expired waivers included). */
export function criticalFindingKeys(
  cluster: string,
  findings: readonly Finding[],
): Map<string, Finding> {
  const keys = new Map<string, Finding>();
  for (const f of findings) {
    if (f.status === 'fail' && f.severity === 'critical') {
      keys.set(`${cluster}|${f.ruleId}|${objectKey(f)}`, f);
    }
  }
  return keys;
}

/** The prefix of every critical-finding key of a cluster. */
export function criticalKeyPrefix(cluster: string): string {
  return `${cluster}|`;
}

/**
 * Waivers expiring within `days` of `now` (not yet expired) and those that
 * have expired, keyed by rule, object and expiry: a renewed waiver is a new
 * change, the same waiver on another cluster is not.
 */
export function waiverChanges(
  findings: readonly Finding[],
  now: Date,
  days: number,
): { expiring: Map<string, Finding>; expired: Map<string, Finding> } {
  const expiring = new Map<string, Finding>();
  const expired = new Map<string, Finding>();
  if (days <= 0) return { expiring, expired };
  const horizon = now.getTime() + days * 24 * 60 * 60 * 1000;
  for (const f of findings) {
    const w = f.waiver;
    if (!w?.expires) continue;
    const key = `${f.ruleId}|${objectKey(f)}|${w.expires}`;
    if (w.expired) {
      expired.set(key, f);
    } else if (f.status === 'waived' && expiryTime(w.expires) <= horizon) {
      expiring.set(key, f);
    }
  }
  return { expiring, expired };
}

/** A date is valid through its whole UTC day, as the engine reads it. */
function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires)
    ? Date.parse(`${expires}T23:59:59.999Z`)
    : Date.parse(expires);
}

/** Where the drop of an entity's score on a cluster is measured from. */
export interface ScoreReference {
  referenceScore: number;
}

export interface ScoreDecision {
  /** The reference to keep for next time. */
  nextReference: number;
  drop?: { from: number; to: number };
  /** Below the threshold now (undefined: the rule is off or nothing scorable). */
  below?: boolean;
}

/**
 * The score rules: a drop of `dropPoints` or more from the highest score
 * since the last drop notified, and being below `threshold`. The first
 * score seen is the starting point, not a change.
 */
export function decideScore(
  score: number,
  previous: ScoreReference | undefined,
  options: { dropPoints?: number; threshold?: number },
): ScoreDecision {
  const decision: ScoreDecision = { nextReference: score };
  if (options.threshold !== undefined) {
    decision.below = score < options.threshold;
  }
  if (!previous) return decision;
  const from = previous.referenceScore;
  if (score >= from) return decision;
  if (options.dropPoints !== undefined && from - score >= options.dropPoints) {
    decision.drop = { from, to: score };
    return decision;
  }
  // A smaller fall: keep measuring from the higher score.
  decision.nextReference = from;
  return decision;
}
