import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { AKS_BASELINE_EVALUATIONS_CHANNEL } from '@aks-baseline/plugin-aks-baseline-common';
import { DEV, startAksBaselineTestBackend } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const API = '/api/aks-baseline';

describe('evaluation run signals', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('broadcasts the start and the end of a requested run, then the refreshed scores, naming nothing but the run', async () => {
    const published: SignalPayload[] = [];
    const signals = createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        publish: async (signal: SignalPayload) => {
          published.push(signal);
        },
      }),
    });
    const knex = await databases.init('SQLITE_3');
    const { server, cleanup } = await startAksBaselineTestBackend({
      knex,
      features: [signals],
    });
    try {
      const res = await request(server)
        .post(`${API}/evaluations`)
        .send({ cluster: DEV });
      expect(res.status).toBe(202);
      const runId: string = res.body.runId;
      for (
        let i = 0;
        !published.some(s => s.message.type === 'scores-refreshed');
        i++
      ) {
        if (i > 400) throw new Error('no scores-refreshed signal');
        await new Promise(r => setTimeout(r, 50));
      }
      expect(published).toEqual([
        {
          recipients: { type: 'broadcast' },
          channel: AKS_BASELINE_EVALUATIONS_CHANNEL,
          message: { type: 'run-started', runId },
        },
        {
          recipients: { type: 'broadcast' },
          channel: AKS_BASELINE_EVALUATIONS_CHANNEL,
          message: { type: 'run-finished', runId },
        },
        {
          recipients: { type: 'broadcast' },
          channel: AKS_BASELINE_EVALUATIONS_CHANNEL,
          message: { type: 'scores-refreshed' },
        },
      ]);
      // By the time the end is told, the run reads as finished.
      const runs = await request(server).get(`${API}/evaluations`);
      expect(runs.body.items[0]).toMatchObject({
        id: runId,
        status: 'success',
      });
    } finally {
      await cleanup();
    }
  });

  it('does not fail the run when publishing fails', async () => {
    const signals = createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        publish: async () => {
          throw new Error('events bus down');
        },
      }),
    });
    const knex = await databases.init('SQLITE_3');
    const backend = await startAksBaselineTestBackend({
      knex,
      features: [signals],
    });
    try {
      const res = await request(backend.server)
        .post(`${API}/evaluations`)
        .send({ cluster: DEV });
      await backend.waitForLog(/Evaluated cluster aks-dev-koreacentral/);
      const runs = await request(backend.server).get(`${API}/evaluations`);
      expect(runs.body.items[0]).toMatchObject({
        id: res.body.runId,
        status: 'success',
      });
      await backend.waitForLog(/Could not publish the run-finished signal/);
    } finally {
      await backend.cleanup();
    }
  });
});
