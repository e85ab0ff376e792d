/*
 * The module in a backend: the custom rules that rule packages provide to
 * the whole backend (aksBaselineRulesServiceRef) reach the evaluate gate.
 * The worked example package (examples/custom-rule) is installed as an
 * adopter installs it: its default export added to the backend (imported
 * statically: Jest runs without dynamic import).
 */
import { readFileSync } from 'node:fs';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendPlugin,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createAksBaselineRulesFactory,
  type ObjectRule,
} from '@aks-baseline/plugin-aks-baseline-node';
import exampleRulePackage, {
  helmReleaseChartPinned,
} from '@internal/aks-baseline-example-custom-rule';
import { EVALUATE_ACTION_ID } from './actions/evaluateManifests';
import scaffolderModuleAksBaseline from '.';
import { scaffolderConfig } from './__testUtils__/settings';

/** The example's GitOps manifests: a HelmRelease asking for a version range. */
const PODINFO = readFileSync(
  require.resolve(
    '@internal/aks-baseline-example-custom-rule/fixtures/manifests/podinfo.yaml',
  ),
  'utf8',
);

/** The scaffolder plugin's actions extension point, and nothing else of it. */
function scaffolderActionsCollector(actions: TemplateAction<any, any, any>[]) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions(...added) {
          actions.push(...added);
        },
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

async function startWith(
  features: BackendFeature[],
  scaffolder: Record<string, unknown> = {},
) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    features: [
      scaffolderActionsCollector(actions),
      scaffolderModuleAksBaseline,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: { aksBaseline: { scaffolder: scaffolderConfig(scaffolder) } },
      }),
      ...features,
    ],
  });
  const gate = actions.find(a => a.id === EVALUATE_ACTION_ID);
  if (!gate) throw new Error(`${EVALUATE_ACTION_ID} was not registered`);
  return gate;
}

describe('scaffolderModuleAksBaseline with custom rules', () => {
  const dir = createMockDirectory();

  beforeEach(() => dir.clear());

  async function runGate(gate: TemplateAction<any, any, any>) {
    const ctx = createMockActionContext({
      input: { path: 'gitops', threshold: 100 } as any,
      workspacePath: dir.path,
    });
    const error = await gate.handler(ctx).then(
      () => undefined,
      e => e as Error,
    );
    return {
      error,
      outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }

  it('fails the gate on a HelmRelease without a pinned chart when the example package is installed', async () => {
    dir.setContent({ 'gitops/podinfo.yaml': PODINFO });
    const gate = await startWith([exampleRulePackage]);
    const { error, outputs } = await runGate(gate);
    expect(error?.message).toMatch(/is below the threshold 100/);
    expect(error?.message).toContain(
      '[GO-01] flux-helmrelease-chart-pinned (medium) on HelmRelease shop/podinfo: HelmRelease podinfo asks for chart version ">=6.0.0", a range',
    );
    expect(outputs.passed).toBe(false);
    expect(outputs.failing).toEqual([
      expect.objectContaining({
        ruleId: 'flux-helmrelease-chart-pinned',
        resource: 'HelmRelease shop/podinfo',
      }),
    ]);
  });

  it('passes the same release once its chart is pinned', async () => {
    dir.setContent({
      'gitops/podinfo.yaml': PODINFO.replace("'>=6.0.0'", '6.7.1'),
    });
    const gate = await startWith([exampleRulePackage]);
    const { error, outputs } = await runGate(gate);
    expect(error).toBeUndefined();
    expect(outputs).toMatchObject({ passed: true, score: 100, failing: [] });
  });

  it('without the package the built-in catalog judges nothing there, and the gate fails closed', async () => {
    dir.setContent({ 'gitops/podinfo.yaml': PODINFO });
    const gate = await startWith([]);
    const { error } = await runGate(gate);
    expect(error?.message).toMatch(
      /Nothing in gitops\/podinfo.yaml could be scored/,
    );
  });

  it('takes a baseline that configures a custom rule, and refuses it when no package provides the rule', async () => {
    const baseline = {
      baseline: {
        rules: { 'flux-helmrelease-chart-pinned': { severity: 'high' } },
      },
    };
    dir.setContent({ 'gitops/podinfo.yaml': PODINFO });
    const gate = await startWith([exampleRulePackage], baseline);
    const { outputs } = await runGate(gate);
    expect(outputs.failing).toEqual([
      expect.objectContaining({ severity: 'high' }),
    ]);

    await expect(startWith([], baseline)).rejects.toThrow(
      /aksBaseline\.scaffolder\.baseline\.rules\.flux-helmrelease-chart-pinned/,
    );
  });

  it('stops the backend naming a custom rule the engine cannot run, or one defined twice', async () => {
    const broken = {
      ...helmReleaseChartPinned,
      id: 'broken-rule',
      severity: 'urgent',
    } as unknown as ObjectRule;
    await expect(
      startWith([createAksBaselineRulesFactory([broken])]),
    ).rejects.toThrow(/broken-rule.*severity "urgent"/);
    await expect(
      startWith([
        exampleRulePackage,
        createAksBaselineRulesFactory([helmReleaseChartPinned]),
      ]),
    ).rejects.toThrow(/flux-helmrelease-chart-pinned.*is defined twice/);
  });
});
