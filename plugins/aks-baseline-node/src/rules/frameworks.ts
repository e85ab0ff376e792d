/*
 * The built-in rules' framework mapping, kept in one table so that it can
 * be reviewed against its sources in one place: CIS AKS Benchmark ids as
 * numbered in v1.7.0 (recommendations we could not verify are left out),
 * Pod Security Standards controls as the Kubernetes page names them, and
 * Azure Policy built-in definitions by display name and name (GUID) from
 * the built-in definitions (Safeguards: the "Deployment safeguards should
 * help guide developers towards AKS recommended best practices" initiative).
 */
import {
  AzurePolicyDefinitionRef,
  RuleFrameworks,
} from '@aks-baseline/plugin-aks-baseline-common';

function policy(
  displayName: string,
  id: string,
  deploymentSafeguards = false,
): AzurePolicyDefinitionRef {
  return deploymentSafeguards
    ? { displayName, id, deploymentSafeguards }
    : { displayName, id };
}

/** Azure Policy built-in definitions the rules map to. */
const P = {
  authorizedIpRanges: policy(
    'Authorized IP ranges should be defined on Kubernetes Services',
    '0e246bcf-5f6f-4f87-bc6f-775d4712c7ea',
  ),
  privateCluster: policy(
    'Azure Kubernetes Service Private Clusters should be enabled',
    '040732e8-d947-40b8-95d6-854c95024bf8',
  ),
  rbac: policy(
    'Role-Based Access Control (RBAC) should be used on Kubernetes Services',
    'ac4a19c2-fa67-49b4-8ae5-0b2e78c49457',
  ),
  entraId: policy(
    'Azure Kubernetes Service Clusters should enable Microsoft Entra ID integration',
    '450d2877-ebea-41e8-b00c-e286317d21bf',
  ),
  autoUpgrade: policy(
    'Azure Kubernetes Service Clusters should enable cluster auto-upgrade',
    '5c345cdf-2049-47e0-b8fe-b0e96bc2df35',
  ),
  policyAddon: policy(
    'Azure Policy Add-on for Kubernetes service (AKS) should be installed and enabled on your clusters',
    '0a15ec92-a229-4763-bb14-0ea34a568f8d',
  ),
  localAccounts: policy(
    'Azure Kubernetes Service Clusters should have local authentication methods disabled',
    '993c2fcd-2b29-49d2-9eb0-df2c3a730c32',
  ),
  commandInvoke: policy(
    'Azure Kubernetes Service Clusters should disable Command Invoke',
    '89f2d532-c53c-4f8f-9afa-4927b1114a0d',
  ),
  ssh: policy(
    'Azure Kubernetes Clusters should disable SSH',
    '28257686-e9db-403e-b9e2-a5eecbe03da9',
  ),
  azureCni: policy(
    'Azure Kubernetes Clusters should use Azure CNI',
    '46238e2f-3f6f-4589-9f3f-77bed4116e67',
  ),
  kms: policy(
    'Azure Kubernetes Clusters should enable Key Management Service (KMS)',
    'dbbdc317-9734-4dd8-9074-993b29c69008',
  ),
  encryptionAtHost: policy(
    'Temp disks and cache for agent node pools in Azure Kubernetes Service clusters should be encrypted at host',
    '41425d9f-d1a5-499a-9932-f8ed8453932c',
  ),
  imageCleaner: policy(
    'Azure Kubernetes Service Clusters should enable Image Cleaner',
    'af3c26b2-6fad-493e-9236-9c68928516ab',
  ),
  managedIdentity: policy(
    'Azure Kubernetes Service Clusters should use managed identities',
    'da6e2401-19da-4532-9141-fb8fbde08431',
  ),
  workloadIdentity: policy(
    'Azure Kubernetes Service Clusters should enable workload identity',
    '2cc2e023-0dac-4046-875b-178f683929d5',
  ),
  defender: policy(
    'Azure Kubernetes Service clusters should have Defender profile enabled',
    'a1840de2-8088-4ea8-b153-b4c723e9cb01',
  ),
  resourceLogs: policy(
    'Resource logs in Azure Kubernetes Service should be enabled',
    '245fc9df-fa96-4414-9a0b-3738c2f7341c',
  ),
  clusterAdmin: policy(
    'Kubernetes clusters should ensure that the cluster-admin role is only used where required',
    'a3dc4946-dba6-43e6-950d-f96532848c9f',
  ),
  httpsOnly: policy(
    'Kubernetes clusters should be accessible only over HTTPS',
    '1a5b4dca-0b6f-4cf5-907c-56316bc1bf3d',
  ),
  internalLoadBalancers: policy(
    'Kubernetes clusters should use internal load balancers',
    '3fc4dc25-5baf-40d8-9b05-7fe74c1bc64e',
  ),
  readOnlyRootFs: policy(
    'Kubernetes cluster containers should run with a read only root file system',
    'df49d893-a74c-421d-bc95-c663042e5b80',
  ),
  resourceLimits: policy(
    'Kubernetes cluster containers CPU and memory resource limits should not exceed the specified limits',
    'e345eecc-fa47-480f-9e88-67dcc122b164',
  ),
  pullPolicy: policy(
    'Kubernetes cluster containers should only use allowed pull policy',
    '50c83470-d2f0-4dda-a716-1938a4825f62',
  ),
  // Deployment Safeguards
  resourceRequests: policy(
    'Kubernetes cluster containers CPU and memory resource requests must be defined',
    '03a4ecdb-0684-4039-be91-2762979e1bc8',
    true,
  ),
  antiAffinity: policy(
    'Must Have Anti Affinity Rules or Topology Spread Constraints Set',
    '34c88cd4-5d72-4dbb-bf77-12c3cafe8791',
    true,
  ),
  allowedImages: policy(
    'Kubernetes cluster containers should only use allowed images',
    'febd0533-8e55-448f-b837-bd0e06f16469',
    true,
  ),
  probes: policy(
    'Ensure cluster containers have readiness or liveness probes configured',
    'b1a9997f-2883-4f12-bdff-2280f99b5915',
    true,
  ),
  noLatestTag: policy(
    'Kubernetes cluster container images should not include latest image tag',
    '021f8078-41a0-40e6-81b6-c6597da9f3ee',
    true,
  ),
  hostNamespaces: policy(
    'Kubernetes cluster containers should not share host namespaces',
    '47a1ee2f-2a2a-4576-bf2a-e0e36709c2b8',
    true,
  ),
  hostNetworkPorts: policy(
    'Kubernetes cluster pods should only use approved host network and port list',
    '82985f06-dc18-4a48-bc1c-b9f4f0098cfe',
    true,
  ),
  hostPaths: policy(
    'Kubernetes cluster pod hostPath volumes should only use allowed host paths',
    '098fc59e-46c7-4d99-9b16-64990e543d75',
    true,
  ),
  usersGroups: policy(
    'Kubernetes cluster pods and containers should only run with approved user and group IDs',
    'f06ddb64-5fa3-4b77-b166-acb36f7f6042',
    true,
  ),
  privilegeEscalation: policy(
    'Kubernetes clusters should not allow container privilege escalation',
    '1c6e92c9-99f0-4e55-9cf2-0c234dc48f99',
    true,
  ),
  privileged: policy(
    'Kubernetes cluster should not allow privileged containers',
    '95edb821-ddaf-4404-9732-666045e056b4',
    true,
  ),
  capabilities: policy(
    'Kubernetes cluster containers should only use allowed capabilities',
    'c26596ff-4d70-4e6a-9a30-c2506bd2f80c',
    true,
  ),
  seccomp: policy(
    'Kubernetes cluster containers should only use allowed seccomp profiles',
    '975ce327-682c-4f2e-aa46-b9598289b86c',
    true,
  ),
} as const;

/** CIS AKS 4.6.2 "Apply Security Context to Your Pods and Containers". */
const SECURITY_CONTEXT = '4.6.2';

/**
 * Rule id → its frameworks. Rules absent here map to none we could verify.
 *
 * @public
 */
export const RULE_FRAMEWORKS: Readonly<Record<string, RuleFrameworks>> = {
  // Cluster
  'auto-upgrade-channel-set': { azurePolicy: [P.autoUpgrade] },
  'cluster-managed-identity': { azurePolicy: [P.managedIdentity] },
  'cluster-entra-id-integration': {
    cisAks: ['5.5.1'],
    azurePolicy: [P.entraId],
  },
  'kubernetes-rbac-enabled': { azurePolicy: [P.rbac] },
  'azure-rbac-for-kubernetes': { cisAks: ['5.5.2'] },
  'local-accounts-disabled': { azurePolicy: [P.localAccounts] },
  'defender-for-containers-enabled': {
    cisAks: ['5.1.1'],
    azurePolicy: [P.defender],
  },
  // Networking
  'azure-cni-in-production': { azurePolicy: [P.azureCni] },
  'network-policy-engine-enabled': { cisAks: ['5.4.4'] },
  'api-server-access-restricted': {
    cisAks: ['5.4.1', '5.4.2'],
    azurePolicy: [P.authorizedIpRanges, P.privateCluster],
  },
  'namespace-default-deny-ingress': { cisAks: ['4.4.2'] },
  'service-internal-load-balancer': {
    azurePolicy: [P.internalLoadBalancers],
  },
  'ingress-tls-https-redirect': {
    cisAks: ['5.4.5'],
    azurePolicy: [P.httpsOnly],
  },
  'gateway-https-listener': { cisAks: ['5.4.5'] },
  // Identity
  'workload-identity-enabled': { azurePolicy: [P.workloadIdentity] },
  'workload-identity-dedicated-service-account': { cisAks: ['4.1.5'] },
  'cluster-admin-bound-to-groups-only': {
    cisAks: ['4.1.1'],
    azurePolicy: [P.clusterAdmin],
  },
  'etcd-kms-encryption': { cisAks: ['5.3.1'], azurePolicy: [P.kms] },
  // Pod security
  'namespace-pod-security-labels': {
    podSecurityStandards: {
      level: null,
      reason:
        'Sets the level a namespace enforces (restricted in production, baseline elsewhere) rather than checking one control.',
    },
  },
  'container-run-as-non-root': {
    cisAks: [SECURITY_CONTEXT],
    podSecurityStandards: {
      level: 'restricted',
      controls: ['Running as Non-root', 'Running as Non-root user'],
    },
    azurePolicy: [P.usersGroups],
  },
  'container-no-privilege-escalation': {
    cisAks: ['4.2.5'],
    podSecurityStandards: {
      level: 'restricted',
      controls: ['Privilege Escalation'],
    },
    azurePolicy: [P.privilegeEscalation],
  },
  'container-read-only-root-filesystem': {
    cisAks: [SECURITY_CONTEXT],
    podSecurityStandards: {
      level: null,
      reason: 'No Pod Security Standards control covers the root filesystem.',
    },
    azurePolicy: [P.readOnlyRootFs],
  },
  'container-drop-all-capabilities': {
    cisAks: [SECURITY_CONTEXT],
    podSecurityStandards: { level: 'restricted', controls: ['Capabilities'] },
    azurePolicy: [P.capabilities],
  },
  'container-seccomp-profile': {
    cisAks: [SECURITY_CONTEXT],
    podSecurityStandards: { level: 'restricted', controls: ['Seccomp'] },
    azurePolicy: [P.seccomp],
  },
  'container-not-privileged': {
    cisAks: ['4.2.1'],
    podSecurityStandards: {
      level: 'baseline',
      controls: ['Privileged Containers'],
    },
    azurePolicy: [P.privileged],
  },
  'pod-no-host-namespaces-or-paths': {
    cisAks: ['4.2.2', '4.2.3', '4.2.4'],
    podSecurityStandards: {
      level: 'baseline',
      controls: ['Host Namespaces', 'HostPath Volumes'],
    },
    azurePolicy: [P.hostNamespaces, P.hostNetworkPorts, P.hostPaths],
  },
  'deployment-safeguards-on': {
    podSecurityStandards: {
      level: null,
      reason:
        "Reads the cluster's Safeguards and Pod Security Standards levels, not a pod.",
    },
  },
  // Images
  'container-image-pinned': { azurePolicy: [P.noLatestTag] },
  'container-image-pull-policy-if-not-present': {
    azurePolicy: [P.pullPolicy],
  },
  'container-image-allowed-registry': {
    cisAks: ['5.1.4'],
    azurePolicy: [P.allowedImages],
  },
  'image-vulnerability-budget': { cisAks: ['5.1.1'] },
  'trivy-operator-installed': { cisAks: ['5.1.1'] },
  'image-cleaner-enabled': { azurePolicy: [P.imageCleaner] },
  // Resources and availability
  'container-resource-requests': { azurePolicy: [P.resourceRequests] },
  'container-resource-limits': { azurePolicy: [P.resourceLimits] },
  'container-liveness-probe': { azurePolicy: [P.probes] },
  'container-readiness-probe': { azurePolicy: [P.probes] },
  'workload-zone-and-host-spread': { azurePolicy: [P.antiAffinity] },
  // Operations and 2026
  'azure-policy-addon-enabled': { azurePolicy: [P.policyAddon] },
  'control-plane-diagnostic-logs': {
    cisAks: ['2.1.1'],
    azurePolicy: [P.resourceLogs],
  },
  'run-command-disabled': { azurePolicy: [P.commandInvoke] },
  'node-pool-ssh-disabled': { azurePolicy: [P.ssh] },
  'node-pool-encryption-at-host': { azurePolicy: [P.encryptionAtHost] },
};
