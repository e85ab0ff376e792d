/*
 * Helpers of the `AX-` rules: telling a field the document does not carry
 * (an older API version, or a source that dropped it) from a feature that
 * is off, and the az arguments naming a node pool.
 */
import {
  Evidence,
  FixSuggestion,
} from '@aks-baseline/plugin-aks-baseline-common';
import { azClusterArguments } from '../../engine/fixes';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { ClusterView, ManagedClusterModel } from '../../engine/types';
import { CheckOutcome } from '../../engine/rule';

/**
 * Whether the managed cluster document came from an api-version at least
 * `since` (`YYYY-MM-DD[-preview]`): ARM leaves out unset fields, so in such
 * a document an absent field of that version is off. False when the
 * version is not known (an `az aks show` file).
 */
export function carriesFieldsOf(c: ClusterView, since: string): boolean {
  const version = c.arm?.apiVersion;
  return typeof version === 'string' && version.slice(0, 10) >= since;
}

/**
 * The outcome for a field the document does not carry and whose absence
 * cannot be read as "off": unknown, saying both possible causes.
 */
export function notCarried(
  c: ClusterView,
  path: string,
  since: string,
  expected: string,
): CheckOutcome {
  const version = c.arm?.apiVersion;
  return unknown(
    `The cluster document does not carry ${path}: ${
      version
        ? `api-version ${version} predates it (${since})`
        : `its api-version is not known, so its absence may mean an API version before ${since} rather than the feature being off`
    }; read the cluster with api-version ${since} or later`,
    [{ path, value: undefined, expected }],
  );
}

/** Why an ARM part was not read, or a default saying it was not in the snapshot. */
export function notReadReason(c: ClusterView, part: string): string {
  return c.arm?.unreadable?.[part] ?? 'it is not in the snapshot (never read)';
}

/** `unknown` for an ARM part that was not read. */
export function partNotRead(
  c: ClusterView,
  part: string,
  what: string,
  evidence: Evidence[] = [{ path: part, value: undefined }],
): CheckOutcome {
  return unknown(`${what} not read: ${notReadReason(c, part)}`, evidence);
}

/** AKS pool names: lower-case letters and digits, a letter first. */
const POOL_NAME_RE = /^[a-z][a-z0-9]{0,11}$/;

/**
 * `--resource-group <group> --cluster-name <cluster> --name <pool>` for
 * `az aks nodepool` commands; undefined when the cluster's id does not say
 * or the pool name is not one AKS accepts.
 */
export function azNodePoolArguments(
  mc: ManagedClusterModel,
  pool: string,
): string | undefined {
  const cluster = azClusterArguments(mc);
  if (!cluster || !POOL_NAME_RE.test(pool)) return undefined;
  return `${cluster.replace(' --name ', ' --cluster-name ')} --name ${pool}`;
}

/** A `az aks <verb> <names> <flags>` fix with the cluster's real names. */
export function azClusterFix(
  mc: ManagedClusterModel,
  verb: string,
  flags: string,
  summary: string,
): FixSuggestion | undefined {
  const names = azClusterArguments(mc);
  return names
    ? { kind: 'command', command: `az aks ${verb} ${names} ${flags}`, summary }
    : undefined;
}

/**
 * A setting that must be `true`: passes only on `true`; absent from a
 * document whose api-version may predate it, unknown; anything else fails
 * with `failure` and the value found.
 */
export function requireTrue(
  c: ClusterView,
  value: unknown,
  setting: { path: string; since: string; failure: string },
): CheckOutcome {
  if (value === true) return PASS;
  if (value === undefined && !carriesFieldsOf(c, setting.since)) {
    return notCarried(c, setting.path, setting.since, 'true');
  }
  return fail(setting.failure, [
    { path: setting.path, value, expected: 'true' },
  ]);
}
