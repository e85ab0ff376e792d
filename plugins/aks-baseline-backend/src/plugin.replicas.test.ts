/*
 * Two backends (replicas) running the plugin on one database: manual
 * evaluations run once whichever replica receives them, are recorded with
 * the user who asked, and do not wait for the scheduler.
 */
import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { EvaluationRunsResponse } from '@aks-baseline/plugin-aks-baseline-common';
import {
  AksBaselineTestBackend,
  DEV,
  PROD,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
/** The user of mockServices.httpAuth's default credentials. */
const MOCK_USER = 'user:default/mock';

async function finishedRuns(
  backend: AksBaselineTestBackend,
  count: number,
): Promise<EvaluationRunsResponse['items']> {
  for (let i = 0; ; i++) {
    const runs: EvaluationRunsResponse = (
      await request(backend.server).get(`${API}/evaluations`)
    ).body;
    const done = runs.items.filter(r => r.status !== 'running');
    if (done.length >= count && done.length === runs.items.length) {
      return runs.items;
    }
    if (i > 600)
      throw new Error(`runs did not finish: ${JSON.stringify(runs)}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('aks-baseline backend plugin on two replicas (integration)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function twoReplicas(databaseId: any) {
    const knex = await databases.init(databaseId);
    // The scheduler's worker never runs the task here: manual runs must not need it.
    const schedulers = [
      mockServices.scheduler.mock(),
      mockServices.scheduler.mock(),
    ];
    const one = await startAksBaselineTestBackend({
      knex,
      features: [schedulers[0].factory],
    });
    const two = await startAksBaselineTestBackend({
      knex,
      features: [schedulers[1].factory],
    });
    return { one, two, schedulers };
  }

  it.each(databases.eachSupportedId())(
    'runs one cluster once when both replicas are asked at once, recorded as manual with the user, on %p',
    async databaseId => {
      const { one, two, schedulers } = await twoReplicas(databaseId);
      try {
        const [a, b] = await Promise.all(
          [one, two].map(backend =>
            request(backend.server)
              .post(`${API}/evaluations`)
              .send({ cluster: DEV }),
          ),
        );
        expect([a.status, b.status]).toEqual([202, 202]);
        expect(a.body.runId).toBe(b.body.runId);
        expect(
          [
            a.body.alreadyRunning ?? false,
            b.body.alreadyRunning ?? false,
          ].sort(),
        ).toEqual([false, true]);

        const runs = await finishedRuns(one, 1);
        expect(runs).toEqual([
          expect.objectContaining({
            id: a.body.runId,
            cluster: DEV,
            trigger: 'manual',
            requestedBy: MOCK_USER,
            status: 'success',
          }),
        ]);
        const evaluated = [...one.logLines(), ...two.logLines()].filter(l =>
          l.includes(`Evaluated cluster ${DEV}`),
        );
        expect(evaluated).toHaveLength(1);
        for (const scheduler of schedulers) {
          expect(scheduler.triggerTask).not.toHaveBeenCalled();
        }
      } finally {
        await one.cleanup();
        await two.cleanup();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'evaluates every cluster once over both replicas on a manual request to both, without waiting for the scheduler, on %p',
    async databaseId => {
      const { one, two, schedulers } = await twoReplicas(databaseId);
      try {
        const first = await request(one.server)
          .post(`${API}/evaluations`)
          .send({});
        const second = await request(two.server)
          .post(`${API}/evaluations`)
          .send({});
        expect(first.body).toEqual({ accepted: true, clusters: [PROD, DEV] });
        expect(second.body).toEqual({
          accepted: true,
          clusters: [PROD, DEV],
          alreadyRunning: true,
        });
        await waitForEvaluationOfAll(one);
        const runs = await finishedRuns(two, 2);
        expect(
          runs.map(r => [r.cluster, r.trigger, r.requestedBy]).sort(),
        ).toEqual([
          [DEV, 'manual', MOCK_USER],
          [PROD, 'manual', MOCK_USER],
        ]);
        // Shared over both replicas (the work table): each cluster once.
        const evaluated = [...one.logLines(), ...two.logLines()].filter(l =>
          l.includes('Evaluated cluster'),
        );
        expect(evaluated).toHaveLength(2);
        for (const scheduler of schedulers) {
          expect(scheduler.triggerTask).not.toHaveBeenCalled();
        }
      } finally {
        await one.cleanup();
        await two.cleanup();
      }
    },
  );
});
