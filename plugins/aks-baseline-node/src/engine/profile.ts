/*
 * Production vs non-production: the cluster's `Environment` tag (any case of
 * the key) or a forced profile, overridden per namespace by a label.
 */
import { Profile } from '@aks-baseline/plugin-aks-baseline-common';
import { ManagedClusterModel, RuleParameters } from './types';

/**
 * Namespace label accepted besides `params.namespaceEnvironmentLabel`.
 *
 * @public
 */
export const NAMESPACE_ENVIRONMENT_LABEL_ALT = 'aks-baseline.io/environment';

/**
 * Whether an environment name means production (case-insensitive).
 *
 * @public
 */
export function isProductionEnvironment(
  value: string | undefined,
  params: Pick<RuleParameters, 'productionEnvironments'>,
): boolean {
  if (typeof value !== 'string') return false;
  const v = value.trim().toLowerCase();
  for (const env of params.productionEnvironments) {
    if (env.toLowerCase() === v) return true;
  }
  return false;
}

/**
 * The value of a tag, matching its key case-insensitively.
 *
 * @public
 */
export function tagValue(
  tags: Record<string, string> | undefined | null,
  key: string,
): string | undefined {
  if (!tags || typeof tags !== 'object') return undefined;
  if (typeof tags[key] === 'string') return tags[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(tags)) {
    if (k.toLowerCase() === lower && typeof tags[k] === 'string')
      return tags[k];
  }
  return undefined;
}

/**
 * The cluster's profile: forced, else its `Environment` tag, else non-production.
 *
 * @public
 */
export function clusterProfile(
  managedCluster: ManagedClusterModel | undefined,
  params: Pick<RuleParameters, 'productionEnvironments'>,
  forced?: Profile,
): Profile {
  if (forced) return forced;
  const env = tagValue(managedCluster?.tags, 'Environment');
  return isProductionEnvironment(env, params) ? 'production' : 'non-production';
}

/**
 * A namespace's profile: its environment label (`params.namespaceEnvironmentLabel`,
 * else `aks-baseline.io/environment`) wins over the cluster's.
 *
 * @public
 */
export function namespaceProfile(
  labels: Record<string, string> | undefined,
  clusterProfileValue: Profile,
  params: Pick<
    RuleParameters,
    'productionEnvironments' | 'namespaceEnvironmentLabel'
  >,
): Profile {
  if (labels) {
    const value =
      labels[params.namespaceEnvironmentLabel] ??
      labels[NAMESPACE_ENVIRONMENT_LABEL_ALT];
    if (typeof value === 'string' && value.trim() !== '') {
      return isProductionEnvironment(value, params)
        ? 'production'
        : 'non-production';
    }
  }
  return clusterProfileValue;
}
