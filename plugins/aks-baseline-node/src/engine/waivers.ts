/*
 * Waivers: accepted exceptions to a rule, from an annotation on the object
 * (or its namespace) or from configuration. See docs/waivers.md.
 *
 * Annotation: key `aks-baseline.io/waive.<rule-id>`, value
 * `reason=...; expires=YYYY-MM-DD; owner=...` (fields in any order, keys
 * case-insensitive, values optionally quoted). A segment that does not start
 * with a known key continues the previous value, so a reason may contain
 * `;`. A value with no `key=` at all is the reason. A waiver without a reason,
 * or with an unreadable expiry date, is ignored and the failure says why.
 */
import { Waiver } from '@aks-baseline/plugin-aks-baseline-common';
import { parseExpiry } from './config';
import { KubeObject, WaiverConfig } from './types';

/** @public */
export const WAIVER_ANNOTATION_PREFIX = 'aks-baseline.io/waive.';

/** @public */
export interface ParsedWaiverAnnotation {
  reason?: string;
  expires?: string;
  owner?: string;
}

const FIELD = /^\s*(reason|expires|owner)\s*[=:]\s*/i;

function unquote(value: string): string {
  const v = value.trim();
  if (
    v.length >= 2 &&
    ((v[0] === '"' && v[v.length - 1] === '"') ||
      (v[0] === "'" && v[v.length - 1] === "'"))
  ) {
    return v.slice(1, -1).trim();
  }
  return v;
}

/**
 * Parses an annotation value; fields missing from the text are undefined.
 *
 * @public
 */
export function parseWaiverAnnotation(value: string): ParsedWaiverAnnotation {
  const out: ParsedWaiverAnnotation = {};
  if (typeof value !== 'string') return out;
  let current: keyof ParsedWaiverAnnotation | undefined;
  const parts: Record<string, string[]> = {};
  for (const segment of value.split(';')) {
    const m = FIELD.exec(segment);
    if (m) {
      current = m[1].toLowerCase() as keyof ParsedWaiverAnnotation;
      (parts[current] ??= []).push(segment.slice(m[0].length));
    } else if (current) {
      parts[current].push(segment);
    } else if (segment.trim() !== '') {
      // Free text before any key: the reason.
      current = 'reason';
      (parts.reason ??= []).push(segment);
    }
  }
  for (const key of Object.keys(parts) as (keyof ParsedWaiverAnnotation)[]) {
    const text = unquote(parts[key].join(';'));
    if (text !== '') out[key] = text;
  }
  return out;
}

/**
 * The outcome of looking for a waiver of one failure.
 *
 * @public
 */
export interface WaiverMatch {
  waiver?: Waiver;
  /** Set when an annotation was found but could not be honoured. */
  problem?: string;
}

/**
 * What a config waiver's scope is compared against.
 *
 * @public
 */
export interface WaiverTarget {
  cluster: string;
  namespace?: string;
  kind: string;
  name: string;
}

function isExpired(expires: string | undefined, now: Date): boolean {
  if (!expires) return false;
  const end = parseExpiry(expires);
  return end ? now.getTime() > end.getTime() : false;
}

/**
 * A reason still as the portal's prefilled waiver offers it (`<why ...>`):
 * copied without being written, it explains nothing, so it waives nothing.
 */
function isPlaceholder(reason: string): boolean {
  return /^<[^<>]*>$/.test(reason.trim());
}

function fromAnnotation(
  ruleId: string,
  annotationKey: string,
  object: KubeObject | undefined,
  now: Date,
): WaiverMatch | undefined {
  const annotations = object?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return undefined;
  const raw = annotations[annotationKey];
  if (typeof raw !== 'string') return undefined;
  const parsed = parseWaiverAnnotation(raw);
  const where = `${annotationKey} on ${object!.kind} ${object!.metadata.name}`;
  if (!parsed.reason) {
    return {
      problem: `waiver annotation ${where} ignored: it gives no reason`,
    };
  }
  if (isPlaceholder(parsed.reason)) {
    return {
      problem: `waiver annotation ${where} ignored: its reason is still the placeholder ${parsed.reason}`,
    };
  }
  if (parsed.expires && !parseExpiry(parsed.expires)) {
    return {
      problem: `waiver annotation ${where} ignored: expires "${parsed.expires}" is not a date (YYYY-MM-DD)`,
    };
  }
  const waiver: Waiver = {
    ruleId,
    reason: parsed.reason,
    source: 'annotation',
  };
  if (parsed.expires) waiver.expires = parsed.expires;
  if (parsed.owner) waiver.owner = parsed.owner;
  if (isExpired(parsed.expires, now)) waiver.expired = true;
  return { waiver };
}

function scopeMatches(config: WaiverConfig, target: WaiverTarget): boolean {
  const scope = config.scope;
  if (!scope) return true;
  if (scope.cluster !== undefined && scope.cluster !== target.cluster) {
    return false;
  }
  if (scope.namespace !== undefined && scope.namespace !== target.namespace) {
    return false;
  }
  if (scope.kind !== undefined && scope.kind !== target.kind) return false;
  if (scope.name !== undefined && scope.name !== target.name) return false;
  return true;
}

/**
 * Finds a waiver for a failure of `ruleId`: an annotation on the subject's
 * object, then on its Namespace object, then the first matching config
 * waiver. A valid (unexpired) waiver wins over an expired one.
 *
 * @public
 */
export function findWaiver(
  ruleId: string,
  target: WaiverTarget,
  objects: Array<KubeObject | undefined>,
  configWaivers: readonly WaiverConfig[],
  now: Date,
): WaiverMatch | undefined {
  const key = WAIVER_ANNOTATION_PREFIX + ruleId;
  let expired: WaiverMatch | undefined;
  let problem: WaiverMatch | undefined;
  for (const object of objects) {
    const match = fromAnnotation(ruleId, key, object, now);
    if (!match) continue;
    if (match.waiver && !match.waiver.expired) return match;
    if (match.waiver) expired ??= match;
    else problem ??= match;
  }
  return (
    fromConfig(ruleId, () => target, configWaivers, now) ?? expired ?? problem
  );
}

function fromConfig(
  ruleId: string,
  targetOf: () => WaiverTarget,
  configWaivers: readonly WaiverConfig[],
  now: Date,
): WaiverMatch | undefined {
  let expired: WaiverMatch | undefined;
  let problem: WaiverMatch | undefined;
  if (configWaivers.length === 0) return undefined;
  const target = targetOf();
  for (const config of configWaivers) {
    if (config.ruleId !== ruleId || !scopeMatches(config, target)) continue;
    if (isPlaceholder(config.reason)) {
      problem ??= {
        problem: `configured waiver of ${ruleId} ignored: its reason is still the placeholder ${config.reason}`,
      };
      continue;
    }
    const waiver: Waiver = {
      ruleId,
      reason: config.reason,
      owner: config.owner,
      source: 'config',
    };
    if (config.expires) waiver.expires = config.expires;
    if (isExpired(config.expires, now)) {
      waiver.expired = true;
      expired ??= { waiver };
      continue;
    }
    return { waiver };
  }
  return expired ?? problem;
}

/**
 * The evaluator's allocation-light variant of {@link findWaiver}: the
 * annotation key is precomputed per rule, `ruleWaivers` are the config
 * waivers of this rule only, and the target is built only when needed.
 */
export function findWaiverFor(
  ruleId: string,
  annotationKey: string,
  object: KubeObject | undefined,
  namespaceObject: KubeObject | undefined,
  ruleWaivers: readonly WaiverConfig[],
  targetOf: () => WaiverTarget,
  now: Date,
): WaiverMatch | undefined {
  const own = fromAnnotation(ruleId, annotationKey, object, now);
  if (own?.waiver && !own.waiver.expired) return own;
  const ns = fromAnnotation(ruleId, annotationKey, namespaceObject, now);
  if (ns?.waiver && !ns.waiver.expired) return ns;
  const config = fromConfig(ruleId, targetOf, ruleWaivers, now);
  if (config?.waiver && !config.waiver.expired) return config;
  const expired = [own, ns, config].find(m => m?.waiver);
  return expired ?? own ?? ns;
}
