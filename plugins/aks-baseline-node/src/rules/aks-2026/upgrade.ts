/*
 * AX-14, ready for the next upgrade:
 * - a PodDisruptionBudget that refuses every eviction stalls the node drains
 *   of every upgrade (AKS waits, then fails it). HA-03 judges whether each
 *   workload has a budget that lets it be drained; this rule judges each
 *   budget as the upgrade will meet it;
 * - node images older than `parameters.maxNodeImageAgeDays`;
 * - with `parameters.targetKubernetesVersion` (the CLI's --target-version),
 *   manifests in an apiVersion that minor no longer serves (the removals
 *   CL-01 knows, engine/api-versions.ts).
 */
import { apiVersionStatus } from '../../engine/api-versions';
import { KNOWN_KINDS } from '../../engine/kinds';
import { fail, PASS, unknown } from '../../engine/outcomes';
import { KubeObject } from '../../engine/types';
import {
  CheckOutcome,
  NodePoolRule,
  ObjectRule,
  RuleContext,
} from '../../engine/rule';
import { AZ_NODEPOOL, minorKeyOf } from '../cluster/helpers';
import { azNodePoolArguments } from './helpers';

/** `0`, `"0"`, `"0%"` for maxUnavailable; `"100%"` for minAvailable. */
function alwaysBlocks(
  pdb: KubeObject,
): { field: string; value: unknown } | undefined {
  const spec = pdb.spec ?? {};
  const max = spec.maxUnavailable;
  if (max === 0 || max === '0' || max === '0%')
    return { field: 'maxUnavailable', value: max };
  const min = spec.minAvailable;
  if (min === '100%') return { field: 'minAvailable', value: min };
  return undefined;
}

export const pdbAllowsUpgradeDrain: ObjectRule = {
  id: 'pdb-allows-upgrade-drain',
  baselineRef: 'AX-14',
  category: 'operations',
  severity: 'medium',
  title: 'No PodDisruptionBudget blocks every node drain (upgrade readiness)',
  rationale:
    'During an upgrade AKS drains each node; a budget that allows no eviction even when every pod is healthy makes the drain wait until the upgrade fails, leaving node pools behind the control plane.',
  remediation: {
    summary:
      'Let the budget allow at least one disruption when the pods are healthy (maxUnavailable: 1, or minAvailable below the replica count).',
    command:
      'kubectl patch pdb <name> --namespace <namespace> --type merge -p \'{"spec":{"minAvailable":null,"maxUnavailable":1}}\'',
  },
  scope: 'object',
  source: 'kubernetes',
  appliesTo: { kinds: ['PodDisruptionBudget'] },
  check(pdb) {
    const name = `PodDisruptionBudget ${pdb.metadata.name}`;
    const blocking = alwaysBlocks(pdb);
    if (blocking)
      return fail(
        `${name} sets ${blocking.field} ${JSON.stringify(
          blocking.value,
        )}: it refuses every eviction, so every node drain of an upgrade stalls on its pods`,
        [
          {
            path: `spec.${blocking.field}`,
            value: blocking.value,
            expected: 'allows at least one disruption',
          },
        ],
      );
    // What the disruption controller reports: healthy, yet nothing allowed.
    const status = pdb.status;
    if (
      status &&
      status.disruptionsAllowed === 0 &&
      typeof status.expectedPods === 'number' &&
      status.expectedPods > 0 &&
      typeof status.currentHealthy === 'number' &&
      typeof status.desiredHealthy === 'number' &&
      status.currentHealthy >= status.expectedPods
    )
      return fail(
        `${name} allows no disruption with all ${status.expectedPods} pods healthy (minimum ${status.desiredHealthy}): every node drain of an upgrade stalls on its pods`,
        [
          {
            path: 'status.disruptionsAllowed',
            value: 0,
            expected: '1 or more while all pods are healthy',
          },
          { path: 'status.desiredHealthy', value: status.desiredHealthy },
          { path: 'status.expectedPods', value: status.expectedPods },
        ],
      );
    return PASS;
  },
  fix(pdb) {
    const field =
      alwaysBlocks(pdb)?.field ??
      (pdb.spec?.minAvailable !== undefined
        ? 'minAvailable'
        : 'maxUnavailable');
    return {
      kind: 'patch',
      target: {
        kind: 'PodDisruptionBudget',
        name: pdb.metadata.name,
        ...(pdb.metadata.namespace
          ? { namespace: pdb.metadata.namespace }
          : {}),
      },
      format: 'strategic-merge',
      patch:
        field === 'minAvailable'
          ? { spec: { minAvailable: null, maxUnavailable: 1 } }
          : { spec: { maxUnavailable: 1 } },
      summary: `Let ${pdb.metadata.name} allow one disruption at a time`,
    };
  },
};

// ------------------------------------------------------- node image age

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The build date a node image version carries: `AKSUbuntu-2204gen2containerd-202510.03.0`
 * (YYYYMM.DD) or `AKSUbuntu:1604:2020.03.11`; undefined for others (Windows).
 */
export function nodeImageDate(version: unknown): Date | undefined {
  if (typeof version !== 'string') return undefined;
  const m =
    /-(\d{4})(\d{2})\.(\d{2})\.\d+$/.exec(version) ??
    /:(\d{4})\.(\d{2})\.(\d{2})$/.exec(version);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export const nodeImageCurrent: NodePoolRule = {
  id: 'node-image-current',
  baselineRef: 'AX-14',
  category: 'operations',
  severity: 'medium',
  title:
    'Node images are recent (within parameters.maxNodeImageAgeDays, 90 by default)',
  rationale:
    'AKS publishes node images weekly with the OS security fixes; an old image misses them, and an upgrade that must also catch up on the image takes longer and fails more often.',
  remediation: {
    summary:
      'Upgrade the node image (or set the node OS upgrade channel to NodeImage).',
    command: `az aks nodepool upgrade ${AZ_NODEPOOL} --name $NODEPOOL --node-image-only`,
  },
  scope: 'nodePool',
  source: 'arm',
  check(np, ctx) {
    const version = np.pool.nodeImageVersion;
    const path = `${np.path}.nodeImageVersion`;
    const built = nodeImageDate(version);
    if (!built)
      return unknown(
        version === undefined
          ? `Node pool ${np.pool.name} does not report its node image version`
          : `The build date of node image ${String(version)} cannot be read`,
        [{ path, value: version }],
      );
    const days = Math.floor((ctx.now.getTime() - built.getTime()) / DAY_MS);
    const max = ctx.params.maxNodeImageAgeDays;
    if (days <= max) return PASS;
    return fail(
      `Node pool ${
        np.pool.name
      } runs a node image built ${days} days ago (${String(
        version,
      )}), older than ${max} days`,
      [{ path, value: version, expected: `built within ${max} days` }],
    );
  },
  fix(np) {
    const args = azNodePoolArguments(np.cluster.managedCluster, np.pool.name);
    return args
      ? {
          kind: 'command',
          command: `az aks nodepool upgrade ${args} --node-image-only`,
          summary: `Upgrade the node image of node pool ${np.pool.name}`,
        }
      : undefined;
  },
};

// ------------------------------------------- apiVersions of the target

/** Built-in kinds whose removed apiVersions the engine knows. */
const VERSIONED_KINDS: string[] = KNOWN_KINDS.filter(
  k => !k.crd && k.kind !== 'Node',
).map(k => k.kind);

function removedByTarget(
  object: KubeObject,
  ctx: RuleContext,
): { removedIn: string; replacement: string } | undefined {
  const target = minorKeyOf(ctx.params.targetKubernetesVersion);
  if (Number.isNaN(target)) return undefined;
  const status = apiVersionStatus(object.kind, object.apiVersion);
  if (status.served || status.removedIn === undefined) return undefined;
  return minorKeyOf(status.removedIn) <= target
    ? { removedIn: status.removedIn, replacement: status.replacement }
    : undefined;
}

/** @public */
export const apiVersionServedInTarget: ObjectRule = {
  id: 'api-version-served-in-target',
  baselineRef: 'AX-14',
  category: 'operations',
  severity: 'high',
  title:
    "Manifests use apiVersions the target Kubernetes minor serves (parameters.targetKubernetesVersion, the CLI's --target-version)",
  rationale:
    'Kubernetes removes deprecated apiVersions in a given minor: after the upgrade the API server refuses manifests still written in them, so the next deployment fails.',
  remediation: {
    summary: 'Rewrite the object in the served apiVersion before upgrading.',
    command:
      'kubectl convert -f manifest.yaml --output-version <group>/<version>',
  },
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    'Moving to a served apiVersion can change required fields (apps/v1 requires spec.selector, networking.k8s.io/v1 Ingress backends are service.name/port): kubectl convert rewrites the manifest, and the result must be reviewed.',
  appliesTo: {
    kinds: VERSIONED_KINDS,
    modes: ['manifests'],
    when: (o, ctx) => removedByTarget(o, ctx) !== undefined,
  },
  check(object, ctx): CheckOutcome {
    const removed = removedByTarget(object, ctx);
    if (!removed) return PASS;
    return fail(
      `${object.kind} ${object.metadata.name} is written in apiVersion ${object.apiVersion}, removed in Kubernetes ${removed.removedIn}: Kubernetes ${ctx.params.targetKubernetesVersion} refuses it. Use ${removed.replacement}.`,
      [
        {
          path: 'apiVersion',
          value: object.apiVersion,
          expected: removed.replacement,
        },
      ],
    );
  },
};
