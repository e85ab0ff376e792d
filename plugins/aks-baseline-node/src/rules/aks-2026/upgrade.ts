/*
 * AX-14, Kubernetes side: a PodDisruptionBudget that refuses every eviction
 * stalls the node drains of every upgrade (AKS waits, then fails the
 * upgrade). HA-03 judges whether each workload has a budget that lets it be
 * drained; this rule judges each budget as the upgrade will meet it.
 */
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, ObjectRule } from '../../engine/types';

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
