/*
 * Baseline configuration: validation with typed errors that name the path of
 * the bad value, and resolution against the defaults and the rule catalog.
 * The same shape comes from app-config (backend), a file (CLI) and the
 * scaffolder, so errors must be readable by a person editing any of them.
 */
import {
  Profile,
  Severity,
  SEVERITIES,
  isSeverity,
} from '@aks-baseline/plugin-aks-baseline-common';
import { defaultParameters } from './params';
import {
  BaselineConfig,
  RuleOverride,
  RuleParameters,
  WaiverConfig,
} from './types';
import { AnyRuleDefinition } from './rule';

/**
 * A configuration value is wrong; `path` locates it, e.g. `waivers[2].expires`.
 *
 * @public
 */
export class BaselineConfigError extends Error {
  readonly path: string;
  /** Valid values, where the set is closed (rule ids, severities). */
  readonly validChoices?: string[];

  constructor(path: string, message: string, validChoices?: string[]) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'BaselineConfigError';
    this.path = path;
    this.validChoices = validChoices;
  }
}

/**
 * Configuration after defaults and validation.
 *
 * @public
 */
export interface ResolvedConfig {
  params: RuleParameters;
  /** Rule id → override, for ids present in the configuration. */
  overrides: Map<string, RuleOverride>;
  waivers: WaiverConfig[];
  profile?: Profile;
}

const PROFILES: Profile[] = ['production', 'non-production'];

type ParamType = 'string[]' | 'string' | 'count' | 'boolean';
const PARAMETER_TYPES: Record<keyof RuleParameters, ParamType> = {
  allowedRegistries: 'string[]',
  requiredTags: 'string[]',
  minReplicas: 'count',
  systemNamespaces: 'string[]',
  minimumKubernetesVersion: 'string',
  productionEnvironments: 'string[]',
  namespaceEnvironmentLabel: 'string',
  maxHighVulnerabilities: 'count',
  certificateExpiryDays: 'count',
  requireCpuLimits: 'boolean',
  maxNodeImageAgeDays: 'count',
  targetKubernetesVersion: 'string',
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The end of validity of an `expires` value: a date (`2026-03-31`, valid
 * through that whole UTC day) or a timestamp. Undefined when unparsable.
 *
 * @public
 */
export function parseExpiry(value: string): Date | undefined {
  const text = value.trim();
  if (ISO_DATE.test(text)) {
    const d = new Date(`${text}T23:59:59.999Z`);
    // Rejects 2026-02-31 and the like, which Date would roll over.
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text
      ? undefined
      : d;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Levenshtein distance, for "did you mean" hints on rule ids. */
function distance(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(
        prev[j] + 1,
        prev[j - 1] + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return prev[b.length];
}

function unknownRuleError(
  path: string,
  id: string,
  validIds: string[],
): BaselineConfigError {
  const sorted = [...validIds].sort();
  const near = sorted
    .map(v => ({ v, d: distance(id, v) }))
    .filter(x => x.d <= Math.max(3, Math.floor(id.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(x => x.v);
  const hint = near.length ? ` Did you mean ${near.join(' or ')}?` : '';
  return new BaselineConfigError(
    path,
    `unknown rule id "${id}".${hint} Valid rule ids: ${sorted.join(', ')}`,
    sorted,
  );
}

function validateOverride(path: string, value: unknown): RuleOverride {
  if (!isPlainObject(value)) {
    throw new BaselineConfigError(
      path,
      `expected an object like { enabled: false } or { severity: high }, found ${describe(
        value,
      )}`,
    );
  }
  const out: RuleOverride = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (key === 'enabled') {
      if (typeof v !== 'boolean') {
        throw new BaselineConfigError(
          `${path}.enabled`,
          `expected true or false, found ${describe(v)}`,
        );
      }
      out.enabled = v;
    } else if (key === 'severity') {
      if (!isSeverity(v)) {
        throw new BaselineConfigError(
          `${path}.severity`,
          `expected one of ${SEVERITIES.join(', ')}, found ${describe(v)}`,
          [...SEVERITIES],
        );
      }
      out.severity = v as Severity;
    } else {
      throw new BaselineConfigError(
        `${path}.${key}`,
        'unknown setting; a rule accepts enabled and severity',
        ['enabled', 'severity'],
      );
    }
  }
  return out;
}

function validateParameters(value: unknown): Partial<RuleParameters> {
  if (!isPlainObject(value)) {
    throw new BaselineConfigError(
      'parameters',
      `expected an object, found ${describe(value)}`,
    );
  }
  const out: Partial<RuleParameters> = {};
  const names = Object.keys(PARAMETER_TYPES);
  for (const key of Object.keys(value)) {
    const path = `parameters.${key}`;
    const type = PARAMETER_TYPES[key as keyof RuleParameters];
    if (!type) {
      throw new BaselineConfigError(
        path,
        `unknown parameter. Valid parameters: ${names.join(', ')}`,
        names,
      );
    }
    const v = value[key];
    if (type === 'string[]') {
      if (!Array.isArray(v)) {
        throw new BaselineConfigError(
          path,
          `expected a list of strings, found ${describe(v)}`,
        );
      }
      v.forEach((item, i) => {
        if (typeof item !== 'string' || item.trim() === '') {
          throw new BaselineConfigError(
            `${path}[${i}]`,
            `expected a non-empty string, found ${describe(item)}`,
          );
        }
      });
      (out as any)[key] = [...v];
    } else if (type === 'string') {
      if (typeof v !== 'string' || v.trim() === '') {
        throw new BaselineConfigError(
          path,
          `expected a non-empty string, found ${describe(v)}`,
        );
      }
      if (key === 'minimumKubernetesVersion' && !/^\d+\.\d+(\.\d+)?$/.test(v)) {
        throw new BaselineConfigError(
          path,
          `expected a version like 1.31, found ${describe(v)}`,
        );
      }
      (out as any)[key] = v;
    } else if (type === 'boolean') {
      if (typeof v !== 'boolean') {
        throw new BaselineConfigError(
          path,
          `expected true or false, found ${describe(v)}`,
        );
      }
      (out as any)[key] = v;
    } else {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw new BaselineConfigError(
          path,
          `expected a whole number ≥ 0, found ${describe(v)}`,
        );
      }
      (out as any)[key] = v;
    }
  }
  return out;
}

const SCOPE_KEYS = ['cluster', 'namespace', 'kind', 'name'];

function requireText(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BaselineConfigError(
      path,
      `expected a non-empty string, found ${describe(value)}`,
    );
  }
  return value;
}

function validateWaiver(
  path: string,
  value: unknown,
  validIds: Set<string>,
): WaiverConfig {
  if (!isPlainObject(value)) {
    throw new BaselineConfigError(
      path,
      `expected an object with ruleId, owner and reason, found ${describe(
        value,
      )}`,
    );
  }
  const ruleId = requireText(`${path}.ruleId`, value.ruleId);
  if (!validIds.has(ruleId)) {
    throw unknownRuleError(`${path}.ruleId`, ruleId, [...validIds]);
  }
  const waiver: WaiverConfig = {
    ruleId,
    owner: requireText(`${path}.owner`, value.owner),
    reason: requireText(`${path}.reason`, value.reason),
  };
  if (value.expires !== undefined) {
    // YAML turns an unquoted 2026-03-31 into a Date.
    const raw =
      value.expires instanceof Date && !Number.isNaN(value.expires.getTime())
        ? value.expires.toISOString().slice(0, 10)
        : value.expires;
    if (typeof raw !== 'string' || !parseExpiry(raw)) {
      throw new BaselineConfigError(
        `${path}.expires`,
        `expected a date YYYY-MM-DD, found ${describe(value.expires)}`,
      );
    }
    waiver.expires = raw;
  }
  if (value.scope !== undefined) {
    if (!isPlainObject(value.scope)) {
      throw new BaselineConfigError(
        `${path}.scope`,
        `expected an object with any of ${SCOPE_KEYS.join(
          ', ',
        )}, found ${describe(value.scope)}`,
      );
    }
    const scope: Record<string, string> = {};
    for (const key of Object.keys(value.scope)) {
      if (!SCOPE_KEYS.includes(key)) {
        throw new BaselineConfigError(
          `${path}.scope.${key}`,
          `unknown scope field; use ${SCOPE_KEYS.join(', ')}`,
          SCOPE_KEYS,
        );
      }
      scope[key] = requireText(`${path}.scope.${key}`, value.scope[key]);
    }
    waiver.scope = scope;
  }
  for (const key of Object.keys(value)) {
    if (!['ruleId', 'owner', 'reason', 'expires', 'scope'].includes(key)) {
      throw new BaselineConfigError(
        `${path}.${key}`,
        'unknown waiver field; use ruleId, owner, reason, expires, scope',
      );
    }
  }
  return waiver;
}

/**
 * Validates a configuration value (parsed YAML/JSON or app-config data)
 * against the rule catalog. Throws {@link BaselineConfigError} on the first
 * problem; returns the typed configuration otherwise.
 *
 * @public
 */
export function validateConfig(
  config: unknown,
  rules: readonly AnyRuleDefinition[],
): BaselineConfig {
  if (config === undefined || config === null) return {};
  if (!isPlainObject(config)) {
    throw new BaselineConfigError(
      '',
      `the baseline configuration must be an object, found ${describe(config)}`,
    );
  }
  const validIds = new Set(rules.map(r => r.id));
  const out: BaselineConfig = {};
  for (const key of Object.keys(config)) {
    const value = config[key];
    if (value === undefined) continue;
    switch (key) {
      case 'rules': {
        if (!isPlainObject(value)) {
          throw new BaselineConfigError(
            'rules',
            `expected an object keyed by rule id, found ${describe(value)}`,
          );
        }
        out.rules = {};
        for (const id of Object.keys(value)) {
          if (!validIds.has(id)) {
            throw unknownRuleError(`rules.${id}`, id, [...validIds]);
          }
          out.rules[id] = validateOverride(`rules.${id}`, value[id]);
        }
        break;
      }
      case 'parameters':
        out.parameters = validateParameters(value);
        break;
      case 'waivers':
        if (!Array.isArray(value)) {
          throw new BaselineConfigError(
            'waivers',
            `expected a list, found ${describe(value)}`,
          );
        }
        out.waivers = value.map((w, i) =>
          validateWaiver(`waivers[${i}]`, w, validIds),
        );
        break;
      case 'profile':
        if (!PROFILES.includes(value as Profile)) {
          throw new BaselineConfigError(
            'profile',
            `expected production or non-production, found ${describe(value)}`,
            PROFILES,
          );
        }
        out.profile = value as Profile;
        break;
      default:
        throw new BaselineConfigError(
          key,
          'unknown setting; the baseline configuration accepts rules, parameters, waivers and profile',
          ['rules', 'parameters', 'waivers', 'profile'],
        );
    }
  }
  return out;
}

/**
 * Validates and merges a configuration over the defaults.
 *
 * @public
 */
export function resolveConfig(
  config: unknown,
  rules: readonly AnyRuleDefinition[],
): ResolvedConfig {
  const valid = validateConfig(config, rules);
  const params = defaultParameters();
  if (valid.parameters) Object.assign(params, valid.parameters);
  return {
    params,
    overrides: new Map(Object.entries(valid.rules ?? {})),
    waivers: valid.waivers ?? [],
    profile: valid.profile,
  };
}

/**
 * Merges configurations, later ones winning: rule overrides per id and
 * field, parameters per key, waivers concatenated. For layering app-config
 * defaults under a per-cluster configuration.
 *
 * @public
 */
export function mergeConfigs(
  ...configs: Array<BaselineConfig | undefined>
): BaselineConfig {
  const out: BaselineConfig = {};
  for (const config of configs) {
    if (!config) continue;
    if (config.rules) {
      out.rules ??= {};
      for (const [id, o] of Object.entries(config.rules)) {
        out.rules[id] = { ...out.rules[id], ...o };
      }
    }
    if (config.parameters) {
      out.parameters = { ...out.parameters, ...config.parameters };
    }
    if (config.waivers)
      out.waivers = [...(out.waivers ?? []), ...config.waivers];
    if (config.profile) out.profile = config.profile;
  }
  return out;
}
