import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { deployment, evaluateRule, makeSnapshot } from '../testUtils';
import { decideContainers, explainContainers } from './containers';
import { newEngineContext } from './context';
import { evaluate } from './evaluate';
import { buildObjectIndex } from './object-index';
import { defaultParameters } from './params';
import { ContainerCheck, ContainerRule, RuleContext } from './rule';
import { buildClusterView } from './subjects';
import { WorkloadView } from './types';

/** Offends when the image is `bad`; counts its calls. */
function badImageCheck(calls: string[]): ContainerCheck {
  return {
    check(c, ctx) {
      calls.push(`${c.name ?? '?'}${ctx.init ? ' (init)' : ''}`);
      if (c.image !== 'bad') return undefined;
      return [{ path: `${ctx.path}.image`, value: c.image, expected: 'good' }];
    },
    message: (names, evidence, ctx) =>
      `${ctx.workload.name}: ${names.join(', ')} (${evidence.length})`,
  };
}

const podSpec = {
  initContainers: [{ name: 'init', image: 'bad' }],
  containers: [
    { name: 'a', image: 'bad' },
    { name: 'b', image: 'good' },
    { name: 'c', image: 'bad' },
  ],
};

function setup() {
  const snapshot = makeSnapshot({
    objects: [deployment('web', 'shop', podSpec)],
  });
  const params = defaultParameters();
  const cluster = buildClusterView(snapshot, params);
  const index = buildObjectIndex(snapshot, cluster, params);
  const ctx = newEngineContext(cluster, index, params, new Date());
  const workload = index.workloads()[0] as WorkloadView;
  return { snapshot, ctx, workload };
}

describe('container rules', () => {
  it('decide at the first offending container, explain with all of them', () => {
    const { ctx, workload } = setup();
    const decided: string[] = [];
    expect(decideContainers(workload, badImageCheck(decided), ctx)).toEqual({
      status: 'fail',
    });
    expect(decided).toEqual(['a']);

    const explained: string[] = [];
    const outcome = explainContainers(workload, badImageCheck(explained), ctx);
    expect(explained).toEqual(['a', 'b', 'c', 'init (init)']);
    expect(outcome).toEqual({
      status: 'fail',
      message: 'web: a, c, init (init) (3)',
      evidence: [
        {
          path: 'spec.template.spec.containers[0].image',
          value: 'bad',
          expected: 'good',
        },
        {
          path: 'spec.template.spec.containers[2].image',
          value: 'bad',
          expected: 'good',
        },
        {
          path: 'spec.template.spec.initContainers[0].image',
          value: 'bad',
          expected: 'good',
        },
      ],
    });
  });

  it('leave init containers out when asked, and pass when every container complies', () => {
    const { ctx, workload } = setup();
    const calls: string[] = [];
    const check = {
      ...badImageCheck(calls),
      check: (c: any, cctx: any) =>
        c.name === 'init' ? badImageCheck(calls).check(c, cctx) : undefined,
      includeInitContainers: false,
    };
    expect(decideContainers(workload, check, ctx).status).toBe('pass');
    expect(explainContainers(workload, check, ctx).status).toBe('pass');
  });

  it('count a missing container entry as offending', () => {
    const { ctx } = setup();
    const snapshot = makeSnapshot({
      objects: [deployment('odd', 'shop', { containers: [null] })],
    });
    const params = defaultParameters();
    const index = buildObjectIndex(
      snapshot,
      buildClusterView(snapshot, params),
      params,
    );
    const workload = index.workloads()[0] as WorkloadView;
    const never: ContainerCheck = {
      check: () => [] as Evidence[],
      message: names => `offending: ${names.join(', ')}`,
    };
    expect(decideContainers(workload, never, ctx).status).toBe('fail');
    expect(explainContainers(workload, never, ctx)).toEqual({
      status: 'fail',
      message: 'offending: ?',
      evidence: [],
    });
  });

  it('leave a context they did not make as it was', () => {
    const { ctx, workload } = setup();
    const foreign: RuleContext = {
      cluster: ctx.cluster,
      index: ctx.index,
      params: ctx.params,
      profile: 'production',
      now: ctx.now,
    };
    const before = { ...foreign };
    explainContainers(workload, badImageCheck([]), foreign);
    expect(foreign).toEqual(before);
  });

  it('give the same finding through evaluate() as through evaluateRule()', () => {
    const { snapshot } = setup();
    const rule: ContainerRule = {
      id: 'good-images',
      baselineRef: 'IM-01',
      category: 'images',
      severity: 'high',
      title: 'Good images',
      rationale: 'r',
      remediation: { summary: 's' },
      scope: 'workload',
      source: 'kubernetes',
      container: badImageCheck([]),
    };
    const [finding] = evaluate(snapshot, {
      rules: [rule],
      now: new Date(),
    }).findings;
    const [outcome] = evaluateRule(rule, snapshot);
    expect(finding.status).toBe('fail');
    expect(finding.message).toBe(outcome.message);
    expect(finding.evidence).toEqual(outcome.evidence);
  });
});
