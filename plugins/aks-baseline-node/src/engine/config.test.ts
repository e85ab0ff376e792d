import {
  BaselineConfigError,
  mergeConfigs,
  parseExpiry,
  resolveConfig,
  validateConfig,
} from './config';
import { DEFAULT_PARAMETERS } from './params';
import { AnyRuleDefinition } from './rule';

const RULES = [
  { id: 'container-drop-all-capabilities' },
  { id: 'namespace-resource-quota' },
] as AnyRuleDefinition[];

function errorOf(config: unknown): BaselineConfigError {
  try {
    validateConfig(config, RULES);
  } catch (e) {
    return e as BaselineConfigError;
  }
  throw new Error('expected a BaselineConfigError');
}

describe('validateConfig', () => {
  it('accepts requireCpuLimits (RS-02) as a parameter, off by default', () => {
    expect(
      resolveConfig({ parameters: { requireCpuLimits: true } }, RULES).params
        .requireCpuLimits,
    ).toBe(true);
    expect(resolveConfig(undefined, RULES).params.requireCpuLimits).toBe(false);
  });

  it('has no built-in minimum Kubernetes version (CL-01 derives it from data)', () => {
    expect(
      resolveConfig(undefined, RULES).params.minimumKubernetesVersion,
    ).toBeUndefined();
  });

  it('accepts an empty or missing configuration', () => {
    expect(validateConfig(undefined, RULES)).toEqual({});
    expect(validateConfig(null, RULES)).toEqual({});
    expect(validateConfig({}, RULES)).toEqual({});
  });

  it.each([
    [[], '', /must be an object, found an array/],
    [{ rule: {} }, 'rule', /unknown setting; .*accepts rules, parameters/],
    [
      { rules: { 'container-drop-all-capability': {} } },
      'rules.container-drop-all-capability',
      /unknown rule id "container-drop-all-capability"\. Did you mean container-drop-all-capabilities\?.*Valid rule ids: container-drop-all-capabilities, namespace-resource-quota/,
    ],
    [
      { rules: { 'namespace-resource-quota': { severity: 'urgent' } } },
      'rules.namespace-resource-quota.severity',
      /expected one of critical, high, medium, low, found "urgent"/,
    ],
    [
      { rules: { 'namespace-resource-quota': { enabled: 'no' } } },
      'rules.namespace-resource-quota.enabled',
      /expected true or false/,
    ],
    [
      { rules: { 'namespace-resource-quota': false } },
      'rules.namespace-resource-quota',
      /expected an object/,
    ],
    [
      { parameters: { minReplica: 2 } },
      'parameters.minReplica',
      /unknown parameter/,
    ],
    [
      { parameters: { minReplicas: -1 } },
      'parameters.minReplicas',
      /whole number/,
    ],
    [
      { parameters: { allowedRegistries: ['ok.azurecr.io', 3] } },
      'parameters.allowedRegistries[1]',
      /non-empty string, found 3/,
    ],
    [
      { parameters: { minimumKubernetesVersion: 'latest' } },
      'parameters.minimumKubernetesVersion',
      /version like 1.31/,
    ],
    [
      { parameters: { requireCpuLimits: 'yes' } },
      'parameters.requireCpuLimits',
      /expected true or false, found "yes"/,
    ],
    [{ waivers: {} }, 'waivers', /expected a list/],
    [
      { waivers: [{ ruleId: 'namespace-resource-quota', reason: 'x' }] },
      'waivers[0].owner',
      /non-empty string, found undefined/,
    ],
    [
      {
        waivers: [
          {
            ruleId: 'namespace-resource-quota',
            reason: 'x',
            owner: 'me',
            expires: '31/12/2026',
          },
        ],
      },
      'waivers[0].expires',
      /expected a date YYYY-MM-DD, found "31\/12\/2026"/,
    ],
    [
      {
        waivers: [
          {
            ruleId: 'namespace-resource-quota',
            reason: 'x',
            owner: 'me',
            scope: { ns: 'a' },
          },
        ],
      },
      'waivers[0].scope.ns',
      /unknown scope field/,
    ],
    [
      { waivers: [{ ruleId: 'nope', reason: 'x', owner: 'me' }] },
      'waivers[0].ruleId',
      /unknown rule id "nope"/,
    ],
    [{ profile: 'prod' }, 'profile', /expected production or non-production/],
  ])('rejects %j at %s', (config, path, message) => {
    const error = errorOf(config);
    expect(error).toBeInstanceOf(BaselineConfigError);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(path ? `${path}: ` : '')).toBe(true);
  });

  it('accepts YAML dates for waiver expiry', () => {
    const config = validateConfig(
      {
        waivers: [
          {
            ruleId: 'namespace-resource-quota',
            reason: 'x',
            owner: 'me',
            expires: new Date('2026-12-31T00:00:00Z'),
          },
        ],
      },
      RULES,
    );
    expect(config.waivers![0].expires).toBe('2026-12-31');
  });
});

describe('resolveConfig', () => {
  it('merges parameters over defaults without touching them', () => {
    const resolved = resolveConfig(
      {
        parameters: { minReplicas: 3, allowedRegistries: ['ghcr.io/contoso'] },
        rules: { 'namespace-resource-quota': { severity: 'low' } },
      },
      RULES,
    );
    expect(resolved.params.minReplicas).toBe(3);
    expect(resolved.params.allowedRegistries).toEqual(['ghcr.io/contoso']);
    expect(resolved.params.systemNamespaces).toContain('kube-system');
    expect(resolved.overrides.get('namespace-resource-quota')).toEqual({
      severity: 'low',
    });
    expect(DEFAULT_PARAMETERS.minReplicas).toBe(2);
    expect(Object.isFrozen(DEFAULT_PARAMETERS.allowedRegistries)).toBe(true);
  });

  it('merges layered configurations', () => {
    expect(
      mergeConfigs(
        { rules: { a: { enabled: false } }, parameters: { minReplicas: 3 } },
        undefined,
        {
          rules: { a: { severity: 'low' } },
          parameters: { certificateExpiryDays: 14 },
          profile: 'production',
        },
      ),
    ).toEqual({
      rules: { a: { enabled: false, severity: 'low' } },
      parameters: { minReplicas: 3, certificateExpiryDays: 14 },
      profile: 'production',
    });
  });
});

describe('parseExpiry', () => {
  it.each([
    ['2026-03-31', '2026-03-31T23:59:59.999Z'],
    [' 2026-03-31 ', '2026-03-31T23:59:59.999Z'],
    ['2026-03-31T10:00:00Z', '2026-03-31T10:00:00.000Z'],
    ['2026-02-30', undefined],
    ['next week', undefined],
    ['2026', undefined],
  ])('%s → %s', (text, iso) => {
    expect(parseExpiry(text)?.toISOString()).toBe(iso);
  });
});
