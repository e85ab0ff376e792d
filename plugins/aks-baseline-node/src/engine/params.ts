import { RuleParameters } from './types';

/**
 * Namespaces that belong to AKS, its add-ons and common platform operators:
 * excluded from namespace and workload rules unless configured otherwise.
 *
 * @public
 */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = Object.freeze([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'gatekeeper-system',
  'calico-system',
  'calico-apiserver',
  'tigera-operator',
  'azure-arc',
  'azure-extensions-usage-system',
  'app-routing-system',
  'aks-command',
  'aks-istio-system',
  'aks-istio-ingress',
  'aks-istio-egress',
  'dataprotection-microsoft',
  'flux-system',
  'kured',
]);

/**
 * Parameter defaults; configuration (`parameters`) overrides them one by one.
 *
 * @public
 */
export const DEFAULT_PARAMETERS: RuleParameters = Object.freeze({
  // Arrays frozen too (cast keeps the contract's mutable type): use
  // defaultParameters() for a copy to modify.
  allowedRegistries: Object.freeze(['*.azurecr.io']) as string[],
  requiredTags: Object.freeze(['Environment', 'Owner']) as string[],
  minReplicas: 2,
  systemNamespaces: DEFAULT_SYSTEM_NAMESPACES as string[],
  productionEnvironments: Object.freeze([
    'production',
    'prod',
    'prd',
  ]) as string[],
  namespaceEnvironmentLabel: 'environment',
  maxHighVulnerabilities: 10,
  certificateExpiryDays: 30,
  requireCpuLimits: false,
  maxNodeImageAgeDays: 90,
});

/**
 * A fresh, mutable copy of the defaults.
 *
 * @public
 */
export function defaultParameters(): RuleParameters {
  return {
    allowedRegistries: [...DEFAULT_PARAMETERS.allowedRegistries],
    requiredTags: [...DEFAULT_PARAMETERS.requiredTags],
    minReplicas: DEFAULT_PARAMETERS.minReplicas,
    systemNamespaces: [...DEFAULT_PARAMETERS.systemNamespaces],
    productionEnvironments: [...DEFAULT_PARAMETERS.productionEnvironments],
    namespaceEnvironmentLabel: DEFAULT_PARAMETERS.namespaceEnvironmentLabel,
    maxHighVulnerabilities: DEFAULT_PARAMETERS.maxHighVulnerabilities,
    certificateExpiryDays: DEFAULT_PARAMETERS.certificateExpiryDays,
    requireCpuLimits: DEFAULT_PARAMETERS.requireCpuLimits,
    maxNodeImageAgeDays: DEFAULT_PARAMETERS.maxNodeImageAgeDays,
  };
}
