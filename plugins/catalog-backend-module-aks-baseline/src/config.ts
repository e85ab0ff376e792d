/*
 * `catalog.providers.aksBaseline`: whether and how the fleet is brought into
 * the catalog. Mistakes throw at startup naming the config path.
 */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  type SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConfigReader, type Config, type JsonObject } from '@backstage/config';
import { InputError } from '@backstage/errors';

export const CONFIG_PATH = 'catalog.providers.aksBaseline';

/** The label the namespace template (scaffolder module) writes: the owner group's name. */
export const DEFAULT_OWNER_LABEL = 'aks-baseline.io/owner';

/** @public */
export interface FleetProviderConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Undefined: cluster Resources are not emitted. */
  clusters?: { owner: string; system?: string };
  /** Undefined: namespace Resources are not emitted. */
  namespaces?: { ownerLabel: string; defaultOwner?: string };
}

const DEFAULT_SCHEDULE: JsonObject = {
  frequency: { minutes: 10 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 30 },
};

const validator = makeValidator();

function invalid(path: string, message: string): InputError {
  return new InputError(`Invalid configuration at '${path}': ${message}`);
}

function entityRef(
  c: Config,
  key: string,
  defaultKind: string,
): string | undefined {
  const value = c.getOptionalString(key);
  if (value === undefined) return undefined;
  try {
    const ref = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
    if (!validator.isValidEntityName(ref.name)) {
      throw new Error(`'${ref.name}' is not a valid entity name`);
    }
    return stringifyEntityRef(ref);
  } catch (error) {
    throw invalid(
      `${CONFIG_PATH}.${key}`,
      `'${value}' is not an entity ref (${(error as Error).message})`,
    );
  }
}

/**
 * The provider's settings, or undefined when it is not configured.
 *
 * @public
 */
export function readFleetProviderConfig(
  config: Config,
): FleetProviderConfig | undefined {
  const c = config.getOptionalConfig(CONFIG_PATH);
  if (!c) return undefined;
  const schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    new ConfigReader({
      ...DEFAULT_SCHEDULE,
      ...(c.getOptionalConfig('schedule')?.get<JsonObject>() ?? {}),
    }),
  );
  const out: FleetProviderConfig = { schedule };
  if (c.getOptionalBoolean('clusters.enabled') ?? true) {
    const owner = entityRef(c, 'clusters.owner', 'group');
    if (!owner) {
      throw invalid(
        `${CONFIG_PATH}.clusters.owner`,
        'is required (the owner of the cluster Resources), unless clusters.enabled is false',
      );
    }
    const system = entityRef(c, 'clusters.system', 'system');
    out.clusters = { owner, ...(system ? { system } : {}) };
  }
  if (c.getOptionalBoolean('namespaces.enabled') ?? true) {
    const ownerLabel =
      c.getOptionalString('namespaces.ownerLabel') ?? DEFAULT_OWNER_LABEL;
    if (ownerLabel.trim() === '') {
      throw invalid(
        `${CONFIG_PATH}.namespaces.ownerLabel`,
        'must not be empty',
      );
    }
    const defaultOwner = entityRef(c, 'namespaces.defaultOwner', 'group');
    out.namespaces = { ownerLabel, ...(defaultOwner ? { defaultOwner } : {}) };
  }
  return out;
}
