/*
 * The namespace as an AKS managed namespace
 * (Microsoft.ContainerService/managedClusters/managedNamespaces): the
 * Namespace's labels and annotations, a default network policy that denies
 * ingress (the baseline's default-deny-ingress), the quota's CPU and memory
 * as the default resource quota, and an adoption policy that never takes
 * over a Kubernetes namespace that already exists.
 */
import {
  createOrUpdate,
  get as getManagedNamespace,
} from '@azure/arm-containerservice/api/managedNamespaces';
import type { ContainerServiceContext } from '@azure/arm-containerservice/api';
import type {
  ManagedNamespace,
  NamespaceProperties,
} from '@azure/arm-containerservice/models';
import type { ManagedClusterTarget } from '../config';
import { Manifest, NamespaceSpec, parseQuantity } from '../manifests';
import { armError, armFailure, ArmRequestError } from './armErrors';

/** Codes of an ARM that does not know the resource type (or this api-version). */
const UNSUPPORTED_CODES = new Set([
  'InvalidResourceType',
  'NoRegisteredProviderFound',
  'InvalidApiVersionParameter',
  'MissingSubscriptionRegistration',
]);

const GRANT_WRITE =
  'Grant it a role with Microsoft.ContainerService/managedClusters/managedNamespaces/write on the cluster (Contributor has it).';

/** `2` → `2000m`: the API takes CPU in one-thousandth CPU form. */
function millicores(value: string): string {
  const cores = parseQuantity(value);
  return cores === undefined ? value : `${Math.round(cores * 1000)}m`;
}

/** Memory in power-of-two units, as the API takes it (`4Gi` stays `4Gi`). */
function binaryMemory(value: string): string {
  if (/^\d+(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(value)) return value;
  const bytes = parseQuantity(value);
  return bytes === undefined ? value : `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

/** The properties the action sets (what it compares on a re-run). */
export function managedNamespaceProperties(
  spec: NamespaceSpec,
  namespace: Manifest,
): NamespaceProperties {
  return {
    labels: { ...namespace.metadata.labels },
    annotations: { ...namespace.metadata.annotations },
    defaultNetworkPolicy: { ingress: 'DenyAll', egress: 'AllowAll' },
    defaultResourceQuota: {
      cpuRequest: millicores(spec.quota['requests.cpu']),
      cpuLimit: millicores(spec.quota['limits.cpu']),
      memoryRequest: binaryMemory(spec.quota['requests.memory']),
      memoryLimit: binaryMemory(spec.quota['limits.memory']),
    },
    adoptionPolicy: 'Never',
    deletePolicy: 'Keep',
  };
}

function containsAll(
  actual: Record<string, string> | undefined,
  wanted: Record<string, string> | undefined,
) {
  return Object.entries(wanted ?? {}).every(([k, v]) => actual?.[k] === v);
}

function sameFields<T extends object>(a: T | undefined, b: T | undefined) {
  return Object.entries(b ?? {}).every(
    ([k, v]) => (a as Record<string, unknown> | undefined)?.[k] === v,
  );
}

/**
 * Whether an existing managed namespace already is what the action would
 * write (ARM adds labels of its own, such as kubernetes.azure.com/managedByArm).
 */
export function isUpToDate(
  existing: ManagedNamespace,
  wanted: NamespaceProperties,
): boolean {
  const p = existing.properties;
  return (
    p?.provisioningState === 'Succeeded' &&
    containsAll(p.labels, wanted.labels) &&
    containsAll(p.annotations, wanted.annotations) &&
    sameFields(p.defaultNetworkPolicy, wanted.defaultNetworkPolicy) &&
    sameFields(p.defaultResourceQuota, wanted.defaultResourceQuota) &&
    p.adoptionPolicy === wanted.adoptionPolicy &&
    p.deletePolicy === wanted.deletePolicy
  );
}

export type ManagedNamespaceRead =
  | { state: 'unsupported'; reason: string }
  | { state: 'absent' }
  | { state: 'present'; resource: ManagedNamespace };

export interface ManagedNamespaceCall {
  context: ContainerServiceContext;
  target: ManagedClusterTarget;
  /** The cluster's configured name, for messages. */
  clusterName: string;
  namespace: string;
  signal?: AbortSignal;
}

export async function readManagedNamespace(
  call: ManagedNamespaceCall,
): Promise<ManagedNamespaceRead> {
  const { context, target, namespace, signal } = call;
  try {
    const resource = await getManagedNamespace(
      context,
      target.resourceGroup,
      target.name,
      namespace,
      { abortSignal: signal },
    );
    return { state: 'present', resource };
  } catch (error) {
    const { status, code } = armFailure(error);
    if (code && UNSUPPORTED_CODES.has(code)) {
      return {
        state: 'unsupported',
        reason: `Azure Resource Manager does not offer managed namespaces for it (${status} ${code})`,
      };
    }
    if (status === 404) return { state: 'absent' };
    throw armError(
      error,
      `read managed namespace ${namespace}`,
      call.clusterName,
      'Grant it Azure Kubernetes Service Cluster User Role (or Reader) on the cluster.',
    );
  }
}

/** PUT and wait until ARM has provisioned it; the resource as ARM has it. */
export async function writeManagedNamespace(
  call: ManagedNamespaceCall & {
    location: string;
    properties: NamespaceProperties;
    pollIntervalMs?: number;
  },
): Promise<ManagedNamespace> {
  const { context, target, namespace, signal } = call;
  let result: ManagedNamespace;
  try {
    result = await createOrUpdate(
      context,
      target.resourceGroup,
      target.name,
      namespace,
      { location: call.location, properties: call.properties },
      {
        abortSignal: signal,
        ...(call.pollIntervalMs !== undefined
          ? { updateIntervalInMs: call.pollIntervalMs }
          : {}),
      },
    ).pollUntilDone();
  } catch (error) {
    throw armError(
      error,
      `create or update managed namespace ${namespace}`,
      call.clusterName,
      GRANT_WRITE,
    );
  }
  const state = result.properties?.provisioningState;
  if (state && state !== 'Succeeded') {
    throw new ArmRequestError(
      `Azure Resource Manager ended the provisioning of managed namespace ${namespace} of cluster ${call.clusterName} as ${state}`,
      200,
    );
  }
  return result;
}
