import { LimitRangeValues, Quota, QuotaPreset } from './types';

/**
 * Built-in quota presets; `aksBaseline.scaffolder.quotaPresets` replaces
 * them key by key.
 *
 * @public
 */
export const DEFAULT_QUOTA_PRESETS: Record<QuotaPreset, Quota> = {
  small: {
    'requests.cpu': '2',
    'requests.memory': '4Gi',
    'limits.cpu': '4',
    'limits.memory': '8Gi',
    persistentvolumeclaims: '5',
    'services.loadbalancers': '1',
  },
  medium: {
    'requests.cpu': '8',
    'requests.memory': '16Gi',
    'limits.cpu': '16',
    'limits.memory': '32Gi',
    persistentvolumeclaims: '10',
    'services.loadbalancers': '2',
  },
  large: {
    'requests.cpu': '32',
    'requests.memory': '64Gi',
    'limits.cpu': '64',
    'limits.memory': '128Gi',
    persistentvolumeclaims: '20',
    'services.loadbalancers': '5',
  },
};

/**
 * Container defaults every scaffolded namespace gets unless overridden.
 *
 * @public
 */
export const DEFAULT_LIMIT_RANGE: LimitRangeValues = {
  default: { cpu: '500m', memory: '512Mi' },
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  min: { cpu: '10m', memory: '16Mi' },
  max: { cpu: '4', memory: '8Gi' },
  podMax: { cpu: '8', memory: '16Gi' },
};

/** @public */
export const DEFAULT_TEAM_ROLE = 'edit';
/** @public */
export const DEFAULT_ALLOWED_ROLES = ['edit', 'view'];
/** @public */
export const DEFAULT_SERVICE_ACCOUNT_NAME = 'workload';

/**
 * The field manager every apply uses: re-runs own the same fields.
 *
 * @public
 */
export const FIELD_MANAGER = 'aks-baseline-scaffolder';

/**
 * Label and annotation keys the scaffolder owns.
 *
 * @public
 */
export const OWNER_LABEL = 'aks-baseline.io/owner';
/** @public */
export const OWNER_ANNOTATION = 'aks-baseline.io/owner';
/** @public */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** @public */
export const MANAGED_BY_VALUE = 'aks-baseline-scaffolder';
/** @public */
export const ENVIRONMENT_LABELS = [
  'environment',
  'aks-baseline.io/environment',
];
/** @public */
export const TEAM_GROUP_ANNOTATION = 'aks-baseline.io/team-group';

/**
 * Object names inside a scaffolded namespace (fixed, so re-runs update them).
 *
 * @public
 */
export const OBJECT_NAMES = {
  quota: 'baseline-quota',
  limitRange: 'baseline-limits',
  denyIngress: 'default-deny-ingress',
  roleBinding: 'team-access',
} as const;
