/*
 * Kubernetes side of ID-02 (no legacy pod-managed identity), ID-03 (Workload
 * Identity pods run as an annotated ServiceAccount) and ID-04 (one identity
 * per namespace; no Workload Identity on the `default` ServiceAccount).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, ObjectIndex, WorkloadView } from '../../engine/types';
import { ObjectRule, WorkloadRule } from '../../engine/rule';
import { podLabelsPath } from '../networking/network-policies';

export const POD_IDENTITY_LABEL = 'aadpodidbinding';
export const WI_USE_LABEL = 'azure.workload.identity/use';
export const WI_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';

/** Whether a pod template opts into Workload Identity (the webhook's label). */
export function usesWorkloadIdentity(w: WorkloadView): boolean {
  return w.podMeta.labels[WI_USE_LABEL] === 'true';
}

/**
 * The ServiceAccount a pod runs as: `serviceAccountName`, else the
 * deprecated `serviceAccount`, else `default` (the API's defaulting).
 */
export function serviceAccountName(w: WorkloadView): string {
  const spec = w.podSpec;
  if (spec) {
    const name = spec.serviceAccountName;
    if (typeof name === 'string' && name !== '') return name;
    const legacy = spec.serviceAccount;
    if (typeof legacy === 'string' && legacy !== '') return legacy;
  }
  return 'default';
}

/** Evidence for the ServiceAccount field: where it was read, and its value. */
function serviceAccountEvidence(w: WorkloadView, expected: string): Evidence {
  const spec = w.podSpec ?? {};
  if (
    typeof spec.serviceAccountName === 'string' &&
    spec.serviceAccountName !== ''
  ) {
    return {
      path: `${w.podSpecPath}.serviceAccountName`,
      value: spec.serviceAccountName,
      expected,
    };
  }
  if (typeof spec.serviceAccount === 'string' && spec.serviceAccount !== '') {
    return {
      path: `${w.podSpecPath}.serviceAccount`,
      value: spec.serviceAccount,
      expected,
    };
  }
  return {
    path: `${w.podSpecPath}.serviceAccountName`,
    value: undefined,
    expected,
  };
}

const SERVICE_ACCOUNT_SNIPPET = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: workload-identity-sa
  namespace: default
  annotations:
    azure.workload.identity/client-id: "\${CLIENT_ID}"
  labels:
    azure.workload.identity/use: "true"`;

const WI_POD_SNIPPET = `apiVersion: v1
kind: Pod
metadata:
  name: myapp
  namespace: default
  labels:
    azure.workload.identity/use: "true"
spec:
  serviceAccountName: workload-identity-sa
  containers:
  - name: myapp
    image: myapp:1.0`;

// -------------------------------------------------------------------- ID-02

export const workloadNoPodIdentity: WorkloadRule = {
  id: 'workload-no-pod-managed-identity',
  baselineRef: 'ID-02',
  category: 'identity',
  severity: 'high',
  title: 'Pods do not use legacy pod-managed identity (aadpodidbinding)',
  rationale:
    "AAD pod-managed identity is deprecated; it intercepts the node's IMDS traffic and lets any pod that can set the label claim the identity. Workload Identity replaces it.",
  remediation: {
    summary:
      'Remove the aadpodidbinding label; label the pod template azure.workload.identity/use: "true" and run it as a ServiceAccount annotated with the identity\'s client id (federated credential for system:serviceaccount:<namespace>:<sa>).',
    snippet: WI_POD_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    'Moving a pod to Workload Identity needs a managed identity, a federated credential and a ServiceAccount, created in Azure by the team.',
  check(w: WorkloadView) {
    const value = w.podMeta.labels[POD_IDENTITY_LABEL];
    if (value === undefined) return PASS;
    return fail(
      `${w.kind} ${w.name} uses legacy pod-managed identity (label ${POD_IDENTITY_LABEL}=${value})`,
      [
        {
          path: `${podLabelsPath(w)}["${POD_IDENTITY_LABEL}"]`,
          value,
          expected: `no ${POD_IDENTITY_LABEL} label; ${WI_USE_LABEL}: "true" with an annotated ServiceAccount`,
        },
      ],
    );
  },
};

// -------------------------------------------------------------------- ID-03

export const workloadIdentityServiceAccount: WorkloadRule = {
  id: 'workload-identity-service-account-annotated',
  baselineRef: 'ID-03',
  category: 'identity',
  severity: 'medium',
  title:
    'Workload Identity pods run as an existing ServiceAccount annotated with azure.workload.identity/client-id',
  rationale:
    "The Workload Identity webhook takes the client id from the pod's ServiceAccount; without it (or without the ServiceAccount) the pod gets no Azure token or the wrong identity.",
  remediation: {
    summary:
      "Create the ServiceAccount the pod names, annotated with the managed identity's client id, and federate it (`az identity federated-credential create --subject system:serviceaccount:<namespace>:<sa>`).",
    snippet: SERVICE_ACCOUNT_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    "The client id is the team's managed identity, which only Azure knows.",
  reads: ['ServiceAccount'],
  appliesTo: { when: usesWorkloadIdentity },
  check(w: WorkloadView, ctx) {
    const sa = serviceAccountName(w);
    const object = ctx.index.get('ServiceAccount', w.namespace, sa);
    if (!object) {
      return fail(
        `${w.kind} ${w.name} uses Workload Identity but its ServiceAccount ${sa} does not exist in namespace ${w.namespace}`,
        [
          serviceAccountEvidence(w, 'an existing ServiceAccount'),
          {
            path: `ServiceAccount/${w.namespace}/${sa}`,
            value: undefined,
            expected: 'exists',
          },
        ],
      );
    }
    const clientId = object.metadata.annotations?.[WI_CLIENT_ID_ANNOTATION];
    if (typeof clientId === 'string' && clientId.trim() !== '') return PASS;
    return fail(
      `${w.kind} ${w.name} uses Workload Identity but ServiceAccount ${sa} has no ${WI_CLIENT_ID_ANNOTATION} annotation`,
      [
        {
          path: `ServiceAccount/${w.namespace}/${sa}.metadata.annotations["${WI_CLIENT_ID_ANNOTATION}"]`,
          value: clientId,
          expected: "the managed identity's client id",
        },
      ],
    );
  },
};

// -------------------------------------------------------------------- ID-04

/**
 * client id → sorted namespaces of the ServiceAccounts annotated with it,
 * built once per ObjectIndex on first use. A WeakMap keyed by the index (not
 * a field on it) keeps the engine's contract unchanged and lets the map be
 * collected with the index; without it each ServiceAccount would rescan all
 * ServiceAccounts (quadratic).
 */
const clientIdNamespaces = new WeakMap<ObjectIndex, Map<string, string[]>>();

export function namespacesByClientId(
  index: ObjectIndex,
): Map<string, string[]> {
  let map = clientIdNamespaces.get(index);
  if (map) return map;
  map = new Map();
  const accounts = index.ofKind('ServiceAccount');
  for (let i = 0; i < accounts.length; i++) {
    const sa = accounts[i];
    const id = normaliseClientId(
      sa.metadata.annotations?.[WI_CLIENT_ID_ANNOTATION],
    );
    if (!id) continue;
    const ns = sa.metadata.namespace || 'default';
    const list = map.get(id);
    if (!list) map.set(id, [ns]);
    else if (!list.includes(ns)) list.push(ns);
  }
  for (const list of map.values()) list.sort();
  clientIdNamespaces.set(index, map);
  return map;
}

/** Client ids are GUIDs: compare case-insensitively, ignore blanks. */
function normaliseClientId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  return v === '' ? undefined : v;
}

export const clientIdNotSharedAcrossNamespaces: ObjectRule = {
  id: 'workload-identity-client-id-not-shared',
  baselineRef: 'ID-04',
  category: 'identity',
  severity: 'medium',
  title:
    'A managed identity (client id) is used by ServiceAccounts of one namespace only',
  rationale:
    "An identity federated to ServiceAccounts in several namespaces gives each team the other teams' Azure permissions; one identity per namespace (or workload) keeps blast radius and audit trails apart.",
  remediation: {
    summary:
      'Create a managed identity per namespace/workload and federate each one only to its own ServiceAccount.',
    command: `az identity create --resource-group $RESOURCE_GROUP --name <namespace>-identity
az identity federated-credential create \\
  --name <namespace>-federated \\
  --identity-name <namespace>-identity \\
  --resource-group $RESOURCE_GROUP \\
  --issuer $OIDC_ISSUER \\
  --subject system:serviceaccount:<namespace>:<serviceaccount> \\
  --audience api://AzureADTokenExchange`,
  },
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    "Which namespace keeps the identity, and the new identity the other gets, are the teams' decisions.",
  appliesTo: {
    kinds: ['ServiceAccount'],
    when: (sa: KubeObject) =>
      normaliseClientId(sa.metadata.annotations?.[WI_CLIENT_ID_ANNOTATION]) !==
      undefined,
  },
  reads: ['ServiceAccount'],
  check(sa: KubeObject, ctx) {
    const raw = sa.metadata.annotations![WI_CLIENT_ID_ANNOTATION];
    const namespaces = namespacesByClientId(ctx.index).get(
      normaliseClientId(raw)!,
    );
    if (!namespaces || namespaces.length <= 1) return PASS;
    return fail(
      `ServiceAccount ${
        sa.metadata.name
      }'s client id ${raw.trim()} is also used by ServiceAccounts in other namespaces (${
        namespaces.length
      } namespaces: ${namespaces.join(', ')})`,
      [
        {
          path: `metadata.annotations["${WI_CLIENT_ID_ANNOTATION}"]`,
          value: raw,
          expected: 'a client id used in this namespace only',
        },
        {
          path: `ServiceAccount[annotations["${WI_CLIENT_ID_ANNOTATION}"]=${raw.trim()}].metadata.namespace`,
          value: namespaces,
        },
      ],
    );
  },
};

export const workloadIdentityDedicatedServiceAccount: WorkloadRule = {
  id: 'workload-identity-dedicated-service-account',
  baselineRef: 'ID-04',
  category: 'identity',
  severity: 'medium',
  title: 'Workload Identity pods do not run as the default ServiceAccount',
  rationale:
    'Every pod of a namespace that names no ServiceAccount runs as `default`: federating an identity to it hands the identity to all of them.',
  remediation: {
    summary:
      'Create a ServiceAccount for the workload, annotate it with the client id, and set spec.serviceAccountName in the pod template.',
    snippet: SERVICE_ACCOUNT_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  fixUnavailable:
    'A dedicated ServiceAccount needs its own federated credential on the managed identity, created in Azure.',
  appliesTo: { when: usesWorkloadIdentity },
  check(w: WorkloadView) {
    if (serviceAccountName(w) !== 'default') return PASS;
    const evidence = serviceAccountEvidence(
      w,
      'a dedicated ServiceAccount (not default)',
    );
    return fail(
      `${w.kind} ${
        w.name
      } uses Workload Identity as the namespace's default ServiceAccount${
        evidence.value === undefined ? ' (no serviceAccountName)' : ''
      }`,
      [evidence],
    );
  },
};

export const workloadIdentityRules = [
  workloadNoPodIdentity,
  workloadIdentityServiceAccount,
  clientIdNotSharedAcrossNamespaces,
  workloadIdentityDedicatedServiceAccount,
];
