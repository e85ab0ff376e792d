/*
 * Upgrade readiness of one cluster (AX-14), from the findings of the rules
 * that judge it: can the cluster move to the next minor now? A rule that
 * found nothing on the cluster counts as no blocker; whether it ran at all
 * (ARM rules need the managed cluster) is the caller's to know, so the
 * answer says "no blocker found", never "ready".
 */
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';

/**
 * Rules whose failure stops or stalls the next upgrade.
 *
 * @public
 */
export const UPGRADE_BLOCKING_RULES: readonly string[] = Object.freeze([
  'pdb-allows-upgrade-drain', // AX-14: drains stall
  'node-pool-version-matches-control-plane', // CL-02: pools first
  'node-pool-os-image-supported', // AX-01: no image for the next minor
  'istio-revision-supported', // AX-12: the add-on revision must follow
  'api-version-served-in-target', // AX-14: manifests refused after it
  'workload-api-version-served', // CL-01: refused already
  'object-api-version-served', // CL-01
]);

/**
 * Rules that do not stop an upgrade but say it is due or will be harder.
 *
 * @public
 */
export const UPGRADE_ADVISORY_RULES: readonly string[] = Object.freeze([
  'kubernetes-version-supported', // CL-01: out of support or behind
  'node-image-current', // AX-14: image to catch up on
  'auto-upgrade-channel-set', // CL-16
  'planned-maintenance-window', // CL-17
]);

/**
 * Every rule the readiness answer reads.
 *
 * @public
 */
export const UPGRADE_READINESS_RULES: readonly string[] = Object.freeze([
  ...UPGRADE_BLOCKING_RULES,
  ...UPGRADE_ADVISORY_RULES,
]);

/** @public */
export interface UpgradeReadiness {
  /**
   * `blocked`: a blocking rule fails (waived or not: a waiver does not let
   * a drain through); `unknown`: none fails but one could not decide;
   * `no-blocker-found`: no blocking rule reported anything.
   */
  status: 'blocked' | 'unknown' | 'no-blocker-found';
  blockers: Finding[];
  /** Blocking rules that could not decide (their message says why). */
  unknowns: Finding[];
  /** Failures and unknowns of the advisory rules. */
  advisories: Finding[];
}

/**
 * The readiness answer from a cluster's findings (others are ignored).
 *
 * @public
 */
export function upgradeReadiness(
  findings: Iterable<Finding>,
): UpgradeReadiness {
  const blockers: Finding[] = [];
  const unknowns: Finding[] = [];
  const advisories: Finding[] = [];
  for (const f of findings) {
    const blocking = UPGRADE_BLOCKING_RULES.includes(f.ruleId);
    if (!blocking && !UPGRADE_ADVISORY_RULES.includes(f.ruleId)) continue;
    const failed = f.status === 'fail' || f.status === 'waived';
    if (blocking && failed) blockers.push(f);
    else if (blocking && f.status === 'unknown') unknowns.push(f);
    else if (!blocking && (failed || f.status === 'unknown'))
      advisories.push(f);
  }
  let status: UpgradeReadiness['status'] = 'no-blocker-found';
  if (blockers.length > 0) status = 'blocked';
  else if (unknowns.length > 0) status = 'unknown';
  return {
    status,
    blockers,
    unknowns,
    advisories,
  };
}
