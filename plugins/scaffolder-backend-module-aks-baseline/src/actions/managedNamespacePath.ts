/*
 * The create action's path through Azure Resource Manager: the namespace as
 * an AKS managed namespace, the team's access as an Azure role assignment on
 * its scope, and through the Kubernetes API only what ARM does not carry
 * (the full ResourceQuota with object counts, the LimitRange, the Workload
 * Identity ServiceAccount, and the RoleBinding when the team's role has no
 * built-in AKS RBAC role).
 */
import { JsonObject } from '@backstage/types';
import type { ContainerServiceContext } from '@azure/arm-containerservice/api';
import type { ManagedClusterTarget } from '../config';
import { Manifest, NamespaceSpec } from '../manifests';
import type { ManagedClusterFacts } from '../azure/managedCluster';
import {
  isUpToDate,
  managedNamespaceProperties,
  writeManagedNamespace,
} from '../azure/managedNamespace';
import type { ManagedNamespace } from '@azure/arm-containerservice/models';
import { azureRoleFor, ensureRoleAssignment } from '../azure/roleAssignment';
import { Step } from './steps';

/** Kinds ARM writes on this path (the NetworkPolicy as defaultNetworkPolicy). */
const CARRIED_BY_ARM = new Set(['Namespace', 'NetworkPolicy']);

export interface ArmPathOptions {
  context: ContainerServiceContext;
  target: ManagedClusterTarget;
  facts: ManagedClusterFacts;
  clusterName: string;
  spec: NamespaceSpec;
  manifests: Manifest[];
  /** The managed namespace as ARM has it now, if it exists. */
  existing?: ManagedNamespace;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  logger: { info(message: string): void };
}

export function managedNamespaceId(facts: ManagedClusterFacts, ns: string) {
  return `${facts.id}/managedNamespaces/${ns}`;
}

/** The ARM steps, and the manifests still applied through Kubernetes. */
export function armPathSteps(options: ArmPathOptions): {
  steps: Step[];
  kubernetesManifests: Manifest[];
} {
  const { context, target, facts, spec, manifests, logger } = options;
  const ns = spec.namespace;
  const namespace = manifests.find(m => m.kind === 'Namespace')!;
  const properties = managedNamespaceProperties(spec, namespace);
  const scope = managedNamespaceId(facts, ns);
  const call = {
    context,
    target,
    clusterName: options.clusterName,
    namespace: ns,
    signal: options.signal,
  };

  const steps: Step[] = [
    {
      key: `arm.managedNamespace.${ns}`,
      label: `ManagedNamespace ${ns}`,
      run: async (): Promise<JsonObject> => {
        if (options.existing && isUpToDate(options.existing, properties)) {
          logger.info(`Managed namespace ${ns} is up to date: not written`);
          return { id: scope, changed: false };
        }
        const result = await writeManagedNamespace({
          ...call,
          location: facts.location,
          properties,
          pollIntervalMs: options.pollIntervalMs,
        });
        return { id: result.id ?? scope, changed: true };
      },
    },
  ];

  const role = azureRoleFor(spec.team.role, spec.team.group);
  const skip = new Set(CARRIED_BY_ARM);
  if ('id' in role) {
    skip.add('RoleBinding');
    steps.push({
      key: `arm.roleAssignment.${ns}`,
      label: `RoleAssignment ${role.name} for ${spec.team.group} on ${ns}`,
      run: async (): Promise<JsonObject> => {
        const result = await ensureRoleAssignment({
          context,
          subscriptionId: target.subscriptionId,
          scope,
          role,
          principalId: spec.team.group,
          clusterName: options.clusterName,
          namespace: ns,
          signal: options.signal,
        });
        return { id: result.id, created: result.created };
      },
    });
  } else {
    logger.info(
      `The team's access stays a Kubernetes RoleBinding: ${role.reason}`,
    );
  }
  return {
    steps,
    kubernetesManifests: manifests.filter(m => !skip.has(m.kind)),
  };
}
