/*
 * From an action's input (already shaped by its zod schema) and the
 * configured defaults to a fully decided NamespaceSpec. Every problem is
 * collected so that the user sees all of them at once; nothing here does
 * I/O, so an invalid request never reaches a cluster.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_ALLOWED_ROLES,
  DEFAULT_LIMIT_RANGE,
  DEFAULT_QUOTA_PRESETS,
  DEFAULT_SERVICE_ACCOUNT_NAME,
  DEFAULT_TEAM_ROLE,
  ENVIRONMENT_LABELS,
  MANAGED_BY_LABEL,
  OWNER_LABEL,
} from './defaults';
import { countProblem, parseQuantity, quantityProblem } from './quantity';
import {
  Environment,
  LimitRangeValues,
  NamespaceSpec,
  PodSecurityLevel,
  Quota,
  QUOTA_KEYS,
  QuotaPreset,
  ResourceMap,
} from './types';
import {
  isUuid,
  labelKeyProblem,
  labelValueProblem,
  namespaceNameProblem,
  ownValue,
  resourceNameProblem,
  subdomainProblem,
} from './validation';

/**
 * What the actions accept (the zod schemas produce this shape).
 *
 * @public
 */
export interface NamespaceInput {
  cluster: string;
  namespace: string;
  owner: string;
  environment: Environment;
  podSecurity?: PodSecurityLevel;
  /** A preset name (built-in or configured) or the six hard limits. */
  quota?: string | Partial<Record<string, string | number>>;
  limitRange?: Partial<Record<keyof LimitRangeValues, ResourceMap>>;
  workloadIdentity: { clientId: string; serviceAccountName?: string };
  teamGroup: string;
  role?: string;
  labels?: Record<string, string>;
}

/**
 * Configured defaults the resolver applies.
 *
 * @public
 */
export interface NamespaceDefaults {
  quotaPresets: Record<QuotaPreset, Quota>;
  limitRange: LimitRangeValues;
  teamRole: string;
  allowedRoles: string[];
}

/** @public */
export const BUILT_IN_DEFAULTS: NamespaceDefaults = {
  quotaPresets: DEFAULT_QUOTA_PRESETS,
  limitRange: DEFAULT_LIMIT_RANGE,
  teamRole: DEFAULT_TEAM_ROLE,
  allowedRoles: DEFAULT_ALLOWED_ROLES,
};

/** Labels a template may not set: the scaffolder decides them. */
const RESERVED_LABEL_PREFIXES = [
  'pod-security.kubernetes.io/',
  'kubernetes.io/',
  'k8s.io/',
  'azure.workload.identity/',
];
const RESERVED_LABELS = new Set([
  OWNER_LABEL,
  MANAGED_BY_LABEL,
  ...ENVIRONMENT_LABELS,
]);

const LIMIT_FIELDS: (keyof LimitRangeValues)[] = [
  'default',
  'defaultRequest',
  'min',
  'max',
  'podMax',
];

function checkResourceMap(
  map: unknown,
  path: string,
  problems: string[],
): ResourceMap | undefined {
  if (map === undefined || map === null) return undefined;
  if (typeof map !== 'object' || Array.isArray(map)) {
    problems.push(`${path}: expected an object of resource → quantity`);
    return undefined;
  }
  const out: ResourceMap = {};
  for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
    const nameProblem = resourceNameProblem(key);
    if (nameProblem) {
      problems.push(`${path}: ${nameProblem}`);
      continue;
    }
    const problem = quantityProblem(value);
    if (problem) problems.push(`${path}.${key}: ${problem}`);
    else out[key] = String(value);
  }
  return out;
}

/** Requests ≤ limits inside one LimitRange: min ≤ defaultRequest ≤ default ≤ max. */
function checkLimitOrder(limits: LimitRangeValues, problems: string[]): void {
  const chain: (keyof LimitRangeValues)[] = [
    'min',
    'defaultRequest',
    'default',
    'max',
  ];
  const resources = new Set<string>();
  for (const field of chain) {
    for (const key of Object.keys(limits[field] ?? {})) resources.add(key);
  }
  for (const resource of resources) {
    let previous: { field: string; value: number; text: string } | undefined;
    for (const field of chain) {
      const text = ownValue(limits[field], resource);
      if (text === undefined) continue;
      const value = parseQuantity(text)!;
      if (previous && value < previous.value) {
        problems.push(
          `limitRange: ${field}.${resource} (${text}) is below ${previous.field}.${resource} (${previous.text}); Kubernetes requires min ≤ defaultRequest ≤ default ≤ max`,
        );
      }
      previous = { field, value, text };
    }
    const podMax = ownValue(limits.podMax, resource);
    const max = ownValue(limits.max, resource);
    if (podMax !== undefined && max !== undefined) {
      if (parseQuantity(podMax)! < parseQuantity(max)!) {
        problems.push(
          `limitRange: podMax.${resource} (${podMax}) is below the container max.${resource} (${max})`,
        );
      }
    }
  }
}

function resolveQuota(
  quota: NamespaceInput['quota'],
  defaults: NamespaceDefaults,
  problems: string[],
): Quota | undefined {
  if (quota === undefined || typeof quota === 'string') {
    const preset = quota ?? 'small';
    const values = ownValue<Quota>(defaults.quotaPresets, preset);
    if (!values) {
      problems.push(
        `quota: unknown preset "${preset}" (configured: ${Object.keys(
          defaults.quotaPresets,
        ).join(', ')})`,
      );
      return undefined;
    }
    return { ...values };
  }
  const out: Partial<Quota> = {};
  for (const key of Object.keys(quota)) {
    if (!(QUOTA_KEYS as readonly string[]).includes(key)) {
      problems.push(
        `quota: unknown key "${key}" (expected ${QUOTA_KEYS.join(', ')})`,
      );
    }
  }
  for (const key of QUOTA_KEYS) {
    const value = quota[key];
    if (value === undefined || value === '') {
      problems.push(`quota.${key}: missing (every quota key is required)`);
      continue;
    }
    const problem =
      key === 'persistentvolumeclaims' || key === 'services.loadbalancers'
        ? countProblem(value)
        : quantityProblem(value);
    if (problem) problems.push(`quota.${key}: ${problem}`);
    else out[key] = String(value);
  }
  for (const [requests, limits] of [
    ['requests.cpu', 'limits.cpu'],
    ['requests.memory', 'limits.memory'],
  ] as const) {
    if (out[requests] && out[limits]) {
      if (parseQuantity(out[requests]!)! > parseQuantity(out[limits]!)!) {
        problems.push(
          `quota: ${requests} (${out[requests]}) is above ${limits} (${out[limits]})`,
        );
      }
    }
  }
  return out as Quota;
}

function resolveOwner(owner: string, problems: string[]): string | undefined {
  try {
    const ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'group' && kind !== 'user') {
      problems.push(
        `owner: "${owner}" is a ${ref.kind}; a namespace is owned by a Group or a User`,
      );
      return undefined;
    }
    const labelProblem = labelValueProblem(ref.name);
    if (labelProblem) {
      problems.push(
        `owner: the name of "${owner}" cannot be a ${labelProblem}`,
      );
      return undefined;
    }
    return stringifyEntityRef({ ...ref, kind });
  } catch (e) {
    problems.push(`owner: "${owner}" is not an entity reference (${e})`);
    return undefined;
  }
}

/**
 * Resolves and validates a namespace request; throws an InputError listing
 * every problem.
 *
 * @public
 */
export function resolveNamespaceSpec(
  input: NamespaceInput,
  defaults: NamespaceDefaults = BUILT_IN_DEFAULTS,
): NamespaceSpec {
  const problems: string[] = [];

  const namespace = input.namespace;
  const nsProblem = namespaceNameProblem(namespace ?? '');
  if (nsProblem) problems.push(`namespace: ${nsProblem}`);

  const owner = resolveOwner(input.owner ?? '', problems);

  const environment = input.environment;
  if (environment !== 'production' && environment !== 'non-production') {
    problems.push(
      `environment: "${environment}" is neither production nor non-production`,
    );
  }
  let podSecurity: PodSecurityLevel =
    input.podSecurity ??
    (environment === 'production' ? 'restricted' : 'baseline');
  if (podSecurity !== 'restricted' && podSecurity !== 'baseline') {
    problems.push(
      `podSecurity: "${podSecurity}" is neither restricted nor baseline`,
    );
    podSecurity = 'restricted';
  }
  if (environment === 'production' && podSecurity !== 'restricted') {
    problems.push(
      'podSecurity: production namespaces enforce the restricted Pod Security Standard; baseline is only for non-production',
    );
  }

  const quota = resolveQuota(input.quota, defaults, problems);

  const limitRange: LimitRangeValues = {
    default: { ...defaults.limitRange.default },
    defaultRequest: { ...defaults.limitRange.defaultRequest },
    min: { ...defaults.limitRange.min },
    max: { ...defaults.limitRange.max },
  };
  if (defaults.limitRange.podMax) {
    limitRange.podMax = { ...defaults.limitRange.podMax };
  }
  for (const field of LIMIT_FIELDS) {
    const override = checkResourceMap(
      input.limitRange?.[field],
      `limitRange.${field}`,
      problems,
    );
    if (override) limitRange[field] = { ...limitRange[field], ...override };
  }
  checkLimitOrder(limitRange, problems);

  const clientId = input.workloadIdentity?.clientId ?? '';
  if (!isUuid(clientId)) {
    problems.push(
      `workloadIdentity.clientId: "${clientId}" is not a UUID (the managed identity's or app registration's client id)`,
    );
  }
  const serviceAccountName =
    input.workloadIdentity?.serviceAccountName || DEFAULT_SERVICE_ACCOUNT_NAME;
  const saProblem = subdomainProblem(serviceAccountName);
  if (saProblem) {
    problems.push(`workloadIdentity.serviceAccountName: ${saProblem}`);
  }

  const group = (input.teamGroup ?? '').trim();
  if (!group) {
    problems.push('teamGroup: required (the Entra ID group object id or name)');
  } else if (group.startsWith('system:')) {
    problems.push(
      `teamGroup: "${group}" is a Kubernetes system group; bind a team's group`,
    );
  } else if (/\s/.test(group) || group.length > 256) {
    problems.push(`teamGroup: "${group}" is not a group name or object id`);
  }
  const role = input.role ?? defaults.teamRole;
  if (!defaults.allowedRoles.includes(role)) {
    problems.push(
      `role: "${role}" is not allowed (allowed: ${defaults.allowedRoles.join(
        ', ',
      )})`,
    );
  }

  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.labels ?? {})) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      problems.push(`labels: ${keyProblem}`);
      continue;
    }
    if (
      RESERVED_LABELS.has(key) ||
      RESERVED_LABEL_PREFIXES.some(prefix => key.startsWith(prefix))
    ) {
      problems.push(`labels: "${key}" is set by the scaffolder`);
      continue;
    }
    const valueProblem = labelValueProblem(String(value));
    if (valueProblem) problems.push(`labels.${key}: ${valueProblem}`);
    else labels[key] = String(value);
  }

  if (problems.length > 0) {
    throw new InputError(
      `Invalid namespace request:\n- ${problems.join('\n- ')}`,
    );
  }
  return {
    cluster: input.cluster,
    namespace,
    owner: owner!,
    environment,
    podSecurity,
    quota: quota!,
    limitRange,
    workloadIdentity: { clientId: clientId.toLowerCase(), serviceAccountName },
    team: { group, role },
    labels,
  };
}
