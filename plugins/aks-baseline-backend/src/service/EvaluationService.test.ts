import * as path from 'path';
import { gunzipSync } from 'zlib';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  ClusterSnapshot,
  RULE_CATALOG,
  readSnapshotDirectory,
} from '@aks-baseline/plugin-aks-baseline-node';
import { AksBaselineStore } from './AksBaselineStore';
import { EntityTarget } from '../entities/targets';
import { componentTarget } from './__testUtils__/componentTarget';
import {
  ClusterReadError,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';
import { EvaluationService, describeError } from './EvaluationService';

jest.setTimeout(60_000);

const FIXTURES = path.resolve(__dirname, '../__fixtures__/clusters');
const PROD = 'aks-prod-westeurope';
const DEV = 'aks-dev-koreacentral';

/** A source over a fixture directory, with hooks to break or slow it. */
function fixtureSource(
  name: string,
  behaviour: {
    fail?: () => Error | undefined;
    delayMs?: number;
    onRead?: () => void;
    ignoreSignal?: boolean;
  } = {},
): ClusterSource {
  return {
    name,
    kind: 'snapshot',
    async read({ signal }): Promise<ClusterSnapshot> {
      behaviour.onRead?.();
      if (behaviour.delayMs) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, behaviour.delayMs);
          if (!behaviour.ignoreSignal) {
            signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(new Error('aborted'));
            });
          }
        });
      }
      const error = behaviour.fail?.();
      if (error) throw error;
      return readSnapshotDirectory(path.join(FIXTURES, name), name);
    },
  };
}

const targets: EntityTarget[] = [
  componentTarget('checkout-api', 'team-payments', {
    'backstage.io/kubernetes-id': 'checkout-api',
    'backstage.io/kubernetes-namespace': 'payments',
  }),
  componentTarget('catalog-search', 'team-storefront', {
    'backstage.io/kubernetes-id': 'catalog-search',
    'backstage.io/kubernetes-cluster': DEV,
  }),
];

describe('EvaluationService', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(
    sources: ClusterSource[],
    databaseId: any = 'SQLITE_3',
    extra: Partial<ConstructorParameters<typeof EvaluationService>[0]> = {},
  ) {
    const knex = await databases.init(databaseId);
    const store = await AksBaselineStore.create({
      database: mockServices.database({ knex }),
    });
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const service = new EvaluationService({
      store,
      sources,
      rules: RULE_CATALOG,
      readTargets: async () => targets,
      logger,
      clusterTimeoutMs: 5_000,
      concurrency: 2,
      ...extra,
    });
    return { store, service, logger };
  }

  it.each(databases.eachSupportedId())(
    'evaluates every cluster and stores cluster and entity scores, on %p',
    async databaseId => {
      const { store, service } = await setup(
        [fixtureSource(PROD), fixtureSource(DEV)],
        databaseId,
      );
      const outcomes = await service.evaluateAll({ trigger: 'manual' });
      expect(outcomes.map(o => [o.cluster, o.status])).toEqual([
        [PROD, 'success'],
        [DEV, 'success'],
      ]);
      const clusters = await store.listClusters();
      const prod = clusters.find(c => c.name === PROD)!;
      const dev = clusters.find(c => c.name === DEV)!;
      expect(prod.score).toBeGreaterThan(dev.score!);
      expect(prod.profile).toBe('production');
      expect(dev.profile).toBe('non-production');

      const checkout = await store.getEntity('component:default/checkout-api');
      expect(checkout?.clusters.map(c => c.cluster)).toEqual([DEV, PROD]);
      expect(checkout?.entity.owner).toBe('group:default/team-payments');
      expect(checkout?.entity.clusters).toEqual([DEV, PROD]);
      const search = await store.getEntity('component:default/catalog-search');
      expect(search?.clusters.map(c => c.cluster)).toEqual([DEV]);
      expect(search?.entity.summary.score).toBeLessThan(
        checkout!.entity.summary.score!,
      );
      expect(search?.entity.counts.failing.high).toBeGreaterThan(0);

      const runs = await store.listRuns({ limit: 10 });
      expect(runs).toHaveLength(2);
      expect(runs.every(r => r.status === 'success')).toBe(true);
      expect(runs.every(r => r.trigger === 'manual')).toBe(true);
    },
  );

  it('keeps going when one cluster fails, and keeps its last result as stale', async () => {
    let broken = false;
    const { store, service } = await setup([
      fixtureSource(PROD, {
        fail: () =>
          broken
            ? new ClusterReadError('Kubernetes API returned 401 Unauthorized', {
                cluster: PROD,
                code: 'unauthorized',
                status: 401,
              })
            : undefined,
      }),
      fixtureSource(DEV),
    ]);
    await service.evaluateAll();
    const before = (await store.listClusters()).find(c => c.name === PROD)!;

    broken = true;
    const outcomes = await service.evaluateAll();
    expect(outcomes.map(o => o.status)).toEqual(['failed', 'success']);
    expect(outcomes[0].error).toBe('Kubernetes API returned 401 Unauthorized');

    const after = (await store.listClusters()).find(c => c.name === PROD)!;
    expect(after.score).toBe(before.score);
    expect(after.evaluatedAt).toBe(before.evaluatedAt);
    expect(after.stale).toBe(true);
    expect(after.staleReason).toBe('Kubernetes API returned 401 Unauthorized');
    expect((await store.listClusters()).find(c => c.name === DEV)!.stale).toBe(
      false,
    );

    const checkout = await store.getEntity('component:default/checkout-api');
    expect(checkout?.entity.stale).toBe(true);
    expect(checkout?.entity.staleReason).toBe(
      `${PROD}: Kubernetes API returned 401 Unauthorized`,
    );
    expect(checkout?.clusters.find(c => c.cluster === PROD)?.stale).toBe(true);
    expect(checkout?.clusters.find(c => c.cluster === DEV)?.stale).toBe(false);

    const runs = await store.listRuns({ limit: 10, cluster: PROD });
    expect(runs[0]).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: 'Kubernetes API returned 401 Unauthorized',
      }),
    );

    // Recovery clears the flag.
    broken = false;
    await service.evaluateAll();
    expect((await store.listClusters()).find(c => c.name === PROD)!.stale).toBe(
      false,
    );
    expect(
      (await store.getEntity('component:default/checkout-api'))?.entity.stale,
    ).toBe(false);
  });

  it('fails a read that could not list a core kind (stopped cluster, snapshot coverage) and keeps the last good result', async () => {
    let unreadable: Record<string, string> = {};
    const inner = fixtureSource(PROD);
    const source: ClusterSource = {
      name: PROD,
      kind: 'snapshot',
      async read(options) {
        const snapshot = await inner.read(options);
        return {
          ...snapshot,
          coverage: { ...snapshot.coverage, unreadable },
        };
      },
    };
    const { store, service } = await setup([source]);
    await service.evaluateAll();
    const good = (await store.listClusters())[0];
    expect(good.status).toBe('ok');

    // Another kind unreadable: a result, with the kind kept.
    unreadable = { NetworkPolicy: 'forbidden (403)' };
    expect((await service.evaluateAll())[0].status).toBe('success');
    const partial = (await store.listClusters())[0];
    expect(partial.unreadableKinds).toEqual([
      { kind: 'NetworkPolicy', reason: 'forbidden (403)' },
    ]);
    expect(partial.totals.unknown).toBeGreaterThan(good.totals.unknown);

    // A stopped cluster: nothing was listed. No result replaces the last one.
    unreadable = Object.fromEntries(
      ['Namespace', 'Deployment', 'Pod', 'NetworkPolicy'].map(kind => [
        kind,
        'the cluster is stopped (powerState Stopped)',
      ]),
    );
    const [outcome] = await service.evaluateAll();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      'Namespace objects could not be read (the cluster is stopped (powerState Stopped)): no result without them',
    );
    const kept = (await store.listClusters())[0];
    expect(kept.status).toBe('stale');
    expect(kept.evaluatedAt).toBe(partial.evaluatedAt);
    expect(kept.score).toBe(partial.score);
    expect(kept.unreadableKinds).toEqual(partial.unreadableKinds);
    expect(kept.staleReason).toBe(outcome.error);
  });

  it('times out a cluster that never answers, even one ignoring the signal', async () => {
    const { store, service } = await setup(
      [
        fixtureSource(PROD, { delayMs: 3_000, ignoreSignal: true }),
        fixtureSource(DEV),
      ],
      'SQLITE_3',
      { clusterTimeoutMs: 200 },
    );
    const started = Date.now();
    const outcomes = await service.evaluateAll();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcomes.map(o => o.status)).toEqual(['failed', 'success']);
    expect(outcomes[0].error).toBe('Timed out after 200 ms');
    const prod = (await store.listClusters()).find(c => c.name === PROD)!;
    expect(prod.lastError).toBe('Timed out after 200 ms');
    expect(prod.score).toBeNull();
  });

  it('reads at most `concurrency` clusters at once', async () => {
    let running = 0;
    let peak = 0;
    const counting = (name: string): ClusterSource => {
      const inner = fixtureSource(PROD);
      return {
        name,
        kind: 'snapshot',
        async read(options) {
          running++;
          peak = Math.max(peak, running);
          await new Promise(r => setTimeout(r, 30));
          try {
            return { ...(await inner.read(options)), name };
          } finally {
            running--;
          }
        },
      };
    };
    const { service } = await setup(
      ['a', 'b', 'c', 'd', 'e'].map(counting),
      'SQLITE_3',
      { concurrency: 2 },
    );
    const outcomes = await service.evaluateAll();
    expect(outcomes.every(o => o.status === 'success')).toBe(true);
    expect(peak).toBe(2);
  });

  it('never runs the same cluster twice at once in one process', async () => {
    let reads = 0;
    const { service, store } = await setup([
      fixtureSource(PROD, { delayMs: 100, onRead: () => reads++ }),
    ]);
    const first = await service.startCluster(PROD, { trigger: 'manual' });
    const second = await service.startCluster(PROD, { trigger: 'manual' });
    expect(first.alreadyRunning).toBe(false);
    expect(second.alreadyRunning).toBe(true);
    expect(second.runId).toBe(first.runId);
    const all = service.evaluateAll();
    await Promise.all([first.done, second.done, all]);
    expect(reads).toBe(1);
    expect(await store.listRuns({ limit: 10 })).toHaveLength(1);
    // Finished: a new run starts.
    const third = await service.startCluster(PROD, { trigger: 'manual' });
    expect(third.alreadyRunning).toBe(false);
    await third.done;
    expect(reads).toBe(2);
  });

  it('lets other work run while it evaluates a cluster', async () => {
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    // A module's rule, seeing how far the other work got at each check.
    const seen: number[] = [];
    const probe = {
      id: 'custom-probe',
      baselineRef: 'OP-01',
      category: 'operations',
      severity: 'low',
      title: 'A custom rule',
      rationale: 'Added by a module.',
      remediation: { summary: 'none' },
      source: 'kubernetes',
      scope: 'workload',
      check: () => {
        seen.push(ticks);
        return { status: 'pass' as const };
      },
    };
    const objects = (await fixtureSource(DEV).read({} as any)).objects;
    const many: ClusterSource = {
      name: DEV,
      kind: 'snapshot',
      async read(options) {
        const snapshot = await fixtureSource(DEV).read(options);
        // The fixture's workloads, many times over.
        const copies = [];
        for (let i = 0; i < 300; i++) {
          for (const o of objects) {
            if (o.kind !== 'Deployment') continue;
            copies.push({
              ...o,
              metadata: { ...o.metadata, name: `${o.metadata.name}-${i}` },
            });
          }
        }
        return { ...snapshot, objects: [...snapshot.objects, ...copies] };
      },
    };
    const { service } = await setup([many], 'SQLITE_3', {
      rules: [...RULE_CATALOG, probe as any],
      sliceMs: 0,
    });
    setImmediate(tick);
    try {
      const outcome = await service.evaluateCluster(DEV);
      expect(outcome.status).toBe('success');
    } finally {
      ticking = false;
    }
    expect(seen.length).toBeGreaterThan(500);
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0] + 1);
  });

  it('reads clusters at once but evaluates them one after the other', async () => {
    const order: string[] = [];
    const probe = {
      id: 'custom-order',
      baselineRef: 'OP-01',
      category: 'operations',
      severity: 'low',
      title: 'A custom rule',
      rationale: 'Added by a module.',
      remediation: { summary: 'none' },
      source: 'kubernetes',
      scope: 'workload',
      check: (_: unknown, ctx: { cluster: { name: string } }) => {
        if (order[order.length - 1] !== ctx.cluster.name) {
          order.push(ctx.cluster.name);
        }
        return { status: 'pass' as const };
      },
    };
    let reading = 0;
    let readingAtOnce = 0;
    const large = (name: string): ClusterSource => ({
      name,
      kind: 'snapshot',
      async read(options) {
        reading++;
        readingAtOnce = Math.max(readingAtOnce, reading);
        await new Promise(r => setTimeout(r, 50));
        reading--;
        const snapshot = await fixtureSource(DEV).read(options);
        const copies = [];
        for (let i = 0; i < 100; i++) {
          for (const o of snapshot.objects) {
            if (o.kind !== 'Deployment') continue;
            copies.push({
              ...o,
              metadata: { ...o.metadata, name: `${o.metadata.name}-${i}` },
            });
          }
        }
        return {
          ...snapshot,
          name,
          objects: [...snapshot.objects, ...copies],
        };
      },
    });
    const { service } = await setup([large('one'), large('two')], 'SQLITE_3', {
      rules: [...RULE_CATALOG, probe as any],
      sliceMs: 0,
      concurrency: 2,
    });
    const outcomes = await service.evaluateAll();
    expect(outcomes.map(o => o.status)).toEqual(['success', 'success']);
    expect(readingAtOnce).toBe(2);
    // All of one cluster's checks, then all of the other's.
    expect(order.sort()).toEqual(['one', 'two']);
  });

  it('leaves entity scores alone when the catalog cannot be read', async () => {
    let catalogUp = true;
    const { service, store } = await setup([fixtureSource(PROD)], 'SQLITE_3', {
      readTargets: async () => {
        if (!catalogUp) throw new Error('catalog unavailable');
        return targets;
      },
    });
    await service.evaluateAll();
    catalogUp = false;
    const outcomes = await service.evaluateAll();
    expect(outcomes[0].status).toBe('success');
    expect(
      (await store.getEntity('component:default/checkout-api'))?.clusters,
    ).toHaveLength(1);
  });

  it('forgets a cluster removed from the configuration', async () => {
    const { store, service, logger } = await setup([
      fixtureSource(PROD),
      fixtureSource(DEV),
    ]);
    await service.evaluateAll();
    const devOnly = new EvaluationService({
      store,
      sources: [fixtureSource(DEV)],
      rules: RULE_CATALOG,
      readTargets: async () => targets,
      logger,
      clusterTimeoutMs: 5_000,
      concurrency: 2,
    });
    await devOnly.evaluateAll();
    expect((await store.listClusters()).map(c => c.name)).toEqual([DEV]);
    const checkout = await store.getEntity('component:default/checkout-api');
    expect(checkout?.entity.clusters).toEqual([DEV]);
    expect(checkout?.clusters.map(c => c.cluster)).toEqual([DEV]);
  });

  it('rejects duplicate cluster names', async () => {
    await expect(
      setup([fixtureSource(PROD), fixtureSource(PROD)]),
    ).rejects.toThrow(/configured more than once/);
  });
  it("recomputes after one cluster's run only the entities whose part on it changed", async () => {
    const { store, service } = await setup([
      fixtureSource(PROD),
      fixtureSource(DEV),
    ]);
    const refresh = jest.spyOn(store, 'refreshChangedEntities');
    const recomputed = async (call: number) =>
      await refresh.mock.results[call].value;
    await service.evaluateCluster(PROD);
    // checkout-api's new part, and catalog-search (limited to DEV, no part
    // on PROD) new in the catalog: it now answers that nothing matched yet.
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await recomputed(0)).toBe(2);
    expect(refresh.mock.calls[0][1]).toEqual({
      prune: false,
      now: expect.any(Date),
    });
    const first = await store.getEntityScoreResponse(
      'component:default/checkout-api',
    );
    // The same result again: nothing to recompute, but the answer shows
    // the new evaluation time.
    await service.evaluateCluster(PROD);
    expect(await recomputed(1)).toBe(0);
    const later = await store.getEntityScoreResponse(
      'component:default/checkout-api',
    );
    const { evaluatedAt } = (await store.getCluster(PROD))!;
    const body = JSON.parse(gunzipSync(later!.responseGzip!).toString());
    const before = JSON.parse(gunzipSync(first!.responseGzip!).toString());
    expect(body.evaluatedAt > before.evaluatedAt).toBe(true);
    expect(body).toEqual({
      ...before,
      evaluatedAt,
      clusters: [{ ...before.clusters[0], evaluatedAt }],
    });
    expect(
      (await store.getEntity('component:default/checkout-api'))?.entity
        .evaluatedAt,
    ).toBe(evaluatedAt);
    await service.evaluateCluster(DEV);
    expect(await recomputed(2)).toBe(2);
  });

  it('evaluates on schedule a cluster still in the fleet, and skips one that left or was just run', async () => {
    const fleet = new Map<string, ClusterSource>([
      [PROD, fixtureSource(PROD)],
      [DEV, fixtureSource(DEV)],
    ]);
    const { store, service } = await setup([], 'SQLITE_3', {
      sources: fleet,
    });
    const first = await service.evaluateOnSchedule(PROD);
    expect(first).toEqual(expect.objectContaining({ status: 'success' }));
    // Just run: a run that started after the threshold counts.
    expect(
      await service.evaluateOnSchedule(PROD, {
        skipIfStartedAfter: new Date(Date.now() - 60_000),
      }),
    ).toEqual({ skipped: expect.stringContaining('started at') });
    // Run long enough ago: evaluated again.
    expect(
      await service.evaluateOnSchedule(PROD, {
        skipIfStartedAfter: new Date(Date.now() + 60_000),
      }),
    ).toEqual(expect.objectContaining({ status: 'success' }));
    fleet.delete(DEV);
    expect(await service.evaluateOnSchedule(DEV)).toEqual({
      skipped: 'no longer in the fleet',
    });
    const runs = await store.listRuns({ limit: 10 });
    expect(runs.map(r => [r.cluster, r.trigger])).toEqual([
      [PROD, 'schedule'],
      [PROD, 'schedule'],
    ]);
  });

  it('sweeps: recomputes the entities of a cluster that went away, drops those that left the catalog and computes new or changed ones', async () => {
    const fleet = new Map<string, ClusterSource>([
      [PROD, fixtureSource(PROD)],
      [DEV, fixtureSource(DEV)],
    ]);
    let catalog = targets;
    const { store, service } = await setup([], 'SQLITE_3', {
      sources: fleet,
      readTargets: async () => catalog,
    });
    await service.evaluateCluster(PROD);
    await service.evaluateCluster(DEV);
    const full = jest.spyOn(store, 'refreshEntities');
    // Every entity was recomputed after the cluster that changed it.
    expect(await service.sweep()).toEqual({
      removedClusters: [],
      refreshed: 0,
    });
    fleet.delete(DEV);
    expect(await service.sweep()).toEqual({
      removedClusters: [DEV],
      refreshed: 2,
    });
    expect(
      (await store.getEntity('component:default/checkout-api'))?.entity
        .clusters,
    ).toEqual([PROD]);
    catalog = targets.slice(0, 1);
    expect(await service.sweep()).toEqual({
      removedClusters: [],
      refreshed: 0,
    });
    expect(
      await store.getEntity('component:default/catalog-search'),
    ).toBeUndefined();
    catalog = [{ ...targets[0], owner: 'group:default/team-checkout' }];
    expect(await service.sweep()).toEqual({
      removedClusters: [],
      refreshed: 1,
    });
    expect(
      (await store.getEntity('component:default/checkout-api'))?.entity.owner,
    ).toBe('group:default/team-checkout');
    expect(full).not.toHaveBeenCalled();
  });
});

describe('describeError', () => {
  it('uses the read error reason and keeps messages short', () => {
    expect(
      describeError(
        new ClusterReadError('ARM returned 429 Too Many Requests', {
          cluster: 'x',
          code: 'throttled',
          status: 429,
          retryAfterSeconds: 120,
        }),
      ),
    ).toBe('ARM returned 429 Too Many Requests');
    expect(describeError(new Error('a\n  b'))).toBe('a b');
    expect(describeError(new Error('x'.repeat(5000)))).toHaveLength(1000);
    expect(describeError('plain')).toBe('plain');
  });
});
