/*
 * The baseline's settings have one definition, BaselineConfig here; the
 * backend's and the scaffolder module's config.d.ts import it. Compiled as
 * Backstage compiles every package's configSchema (@backstage/config-loader),
 * app-config is checked against the shape the engine reads, at both paths.
 */
import * as path from 'path';
import { loadConfigSchema } from '@backstage/config-loader';
import type { JsonObject } from '@backstage/types';
import { validateConfig } from './config';
import { RULE_CATALOG } from '../rules';

// eslint-disable-next-line no-restricted-syntax
const PLUGINS = path.resolve(__dirname, '../../..');
const PACKAGES = [
  'aks-baseline-backend',
  'scaffolder-backend-module-aks-baseline',
].map(name => path.join(PLUGINS, name, 'package.json'));

const BASELINE = {
  rules: {
    'container-run-as-non-root': { severity: 'critical' },
    'flux-helmrelease-chart-pinned': { enabled: false },
  },
  parameters: { minReplicas: 3, allowedRegistries: ['contoso.azurecr.io'] },
  waivers: [
    {
      ruleId: 'container-image-pinned',
      scope: { namespace: 'legacy', kind: 'Deployment' },
      owner: 'team-payments',
      reason: 'Vendor image, pinned upstream next quarter',
      expires: '2027-03-31',
    },
  ],
  profile: 'production',
};

type Schema = Awaited<ReturnType<typeof loadConfigSchema>>;
let schema: Schema;

beforeAll(async () => {
  schema = await loadConfigSchema({
    dependencies: [],
    packagePaths: PACKAGES,
    excludePackageDependencies: true,
  });
}, 120_000);

/** app-config with `baseline` at the backend's path and the scaffolder's. */
function atBothPaths(baseline: unknown): JsonObject[] {
  return [
    { aksBaseline: { baseline } } as JsonObject,
    { aksBaseline: { scaffolder: { baseline } } } as JsonObject,
  ];
}

function problems(data: JsonObject): string {
  try {
    schema.process([{ data, context: 'app-config.yaml' }]);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the baseline config schema', () => {
  it('takes every setting the engine reads, at both paths', () => {
    for (const data of atBothPaths(BASELINE)) expect(problems(data)).toBe('');
    // The example is one the engine takes too (its custom rule aside).
    const { rules, ...rest } = BASELINE;
    expect(() =>
      validateConfig(
        {
          ...rest,
          rules: {
            'container-run-as-non-root': rules['container-run-as-non-root'],
          },
        },
        RULE_CATALOG,
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a severity the engine does not know',
      { rules: { 'container-run-as-non-root': { severity: 'urgent' } } },
      /baseline\/rules\/container-run-as-non-root\/severity/,
    ],
    [
      'a waiver without its owner',
      { waivers: [{ ruleId: 'container-image-pinned', reason: 'x' }] },
      /must have required property 'owner'.*baseline\/waivers\/0/,
    ],
    [
      'a parameter of the wrong type',
      { parameters: { minReplicas: 'two' } },
      /baseline\/parameters\/minReplicas/,
    ],
    ['a profile that is none', { profile: 'staging' }, /baseline\/profile/],
  ])('refuses %s at both paths', (_what, baseline, where) => {
    const [backend, scaffolder] = atBothPaths(baseline).map(problems);
    expect(backend).toMatch(where);
    expect(backend).toMatch(/\/aksBaseline\/baseline\//);
    expect(scaffolder).toMatch(where);
    expect(scaffolder).toMatch(/\/aksBaseline\/scaffolder\/baseline\//);
  });
});
