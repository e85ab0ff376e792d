/*
 * `aksBaseline.discovery.azure`: which subscriptions (and resource groups)
 * to list managed clusters in, which of them to keep, how often, and with
 * which identity. Mistakes throw at startup naming the config path.
 */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { ConfigReader, type Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import type { AzureIdentitySpec } from '../azureCredentials';

export const DISCOVERY_CONFIG_PATH = 'aksBaseline.discovery.azure';

export interface AzureDiscoverySpec {
  /** Listed one by one; there is no "every subscription" without them. */
  subscriptions: string[];
  /** When given, only these resource groups (in every subscription). */
  resourceGroups?: string[];
  /** Every tag must be on the cluster; the value `*` matches any value. */
  tags: Record<string, string>;
  /** Cluster names or resource ids, `*` as a wildcard; none: every cluster. */
  include: string[];
  exclude: string[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  identity: AzureIdentitySpec;
  /** False: discovered clusters are evaluated on ARM alone. */
  kubernetesEnabled: boolean;
}

const DEFAULT_SCHEDULE: JsonObject = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 0 },
};

// A subscription id is a GUID; a resource group name is 1-90 characters.
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/u;

function invalid(path: string, message: string): InputError {
  return new InputError(`Invalid configuration at '${path}': ${message}`);
}

function stringList(
  c: Config,
  key: string,
  check?: { pattern: RegExp; what: string },
): string[] | undefined {
  if (!c.has(key)) return undefined;
  const values = c.getStringArray(key);
  values.forEach((value, i) => {
    if (value.trim() === '') {
      throw invalid(
        `${DISCOVERY_CONFIG_PATH}.${key}[${i}]`,
        'must not be empty',
      );
    }
    if (check && !check.pattern.test(value)) {
      throw invalid(
        `${DISCOVERY_CONFIG_PATH}.${key}[${i}]`,
        `'${value}' is not ${check.what}`,
      );
    }
  });
  return values;
}

function optionalString(c: Config, key: string): string | undefined {
  const v = c.getOptionalString(key);
  if (v !== undefined && v.trim() === '') {
    throw invalid(`${DISCOVERY_CONFIG_PATH}.${key}`, 'must not be empty');
  }
  return v;
}

/** The discovery settings, or undefined when discovery is not configured. */
export function readAzureDiscovery(
  config: Config,
): AzureDiscoverySpec | undefined {
  const c = config.getOptionalConfig(DISCOVERY_CONFIG_PATH);
  if (!c) return undefined;

  const subscriptions = stringList(c, 'subscriptions', {
    pattern: GUID,
    what: 'a subscription id (a GUID)',
  });
  if (!subscriptions || subscriptions.length === 0) {
    // Listing every visible subscription needs @azure/arm-resources-subscriptions,
    // which the plugin does not ship.
    throw invalid(
      `${DISCOVERY_CONFIG_PATH}.subscriptions`,
      'list the subscription ids to discover clusters in (at least one)',
    );
  }
  const resourceGroups = stringList(c, 'resourceGroups', {
    pattern: RESOURCE_GROUP,
    what: 'a resource group name',
  });

  const tags: Record<string, string> = {};
  const tagConfig = c.getOptionalConfig('tags');
  for (const key of tagConfig?.keys() ?? []) {
    const value = tagConfig!.getOptional(key);
    if (typeof value !== 'string') {
      throw invalid(
        `${DISCOVERY_CONFIG_PATH}.tags.${key}`,
        "must be a string (the tag's value, or '*' for any value)",
      );
    }
    tags[key] = value;
  }

  const schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    new ConfigReader({
      ...DEFAULT_SCHEDULE,
      ...(c.getOptionalConfig('schedule')?.get<JsonObject>() ?? {}),
    }),
  );

  const identity: AzureIdentitySpec = {};
  const tenantId = optionalString(c, 'tenantId');
  const clientId = optionalString(c, 'clientId');
  const clientSecret = optionalString(c, 'clientSecret');
  if (clientSecret && !(tenantId && clientId)) {
    throw invalid(
      DISCOVERY_CONFIG_PATH,
      'clientSecret needs tenantId and clientId as well',
    );
  }
  if (tenantId) identity.tenantId = tenantId;
  if (clientId) identity.clientId = clientId;
  if (clientSecret) identity.clientSecret = clientSecret;

  return {
    subscriptions: [...new Set(subscriptions.map(s => s.toLowerCase()))],
    ...(resourceGroups ? { resourceGroups } : {}),
    tags,
    include: stringList(c, 'include') ?? [],
    exclude: stringList(c, 'exclude') ?? [],
    schedule,
    identity,
    kubernetesEnabled: c.getOptionalBoolean('kubernetes.enabled') ?? true,
  };
}
