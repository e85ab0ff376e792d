/*
 * The demo's scripted regression (scripts/demo-regression.mjs, `yarn
 * demo:regression`) run as the demo runs it, against the real plugin with
 * notifications on: the owners of checkout-api and of the cluster are told
 * once, and running the evaluation again tells nobody anything new.
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import type { AddressInfo } from 'net';
import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  PROD,
  startAksBaselineTestBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(180_000);

const SCRIPT = path.resolve(
  __dirname,
  '../../../../scripts/demo-regression.mjs',
);

describe('yarn demo:regression', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('makes checkout-api worse, and its owners and the cluster’s are notified once', async () => {
    const sent: NotificationSendOptions[] = [];
    const ctx = await startAksBaselineTestBackend({
      knex: await databases.init('SQLITE_3'),
      config: { notifications: { enabled: true, scoreDrop: 10 } },
      features: [
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: NotificationSendOptions) => {
              sent.push(options);
            },
          }),
        }),
      ],
    });
    try {
      const port = (ctx.server.address() as AddressInfo).port;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          SCRIPT,
          '--backend',
          `http://localhost:${port}`,
          '--snapshots',
          path.dirname(ctx.clusterDir(PROD)),
        ],
        { env: { ...process.env, AKS_BASELINE_TOKEN: '' } },
      );
      const [, before, after] =
        /checkout-api on aks-prod-westeurope: score (\d+) -> (\d+)/.exec(
          stdout,
        ) ?? [];
      expect(Number(after)).toBeLessThanOrEqual(Number(before) - 10);

      const told = () =>
        sent
          .map(
            n =>
              `${(n.recipients as { entityRef: string }).entityRef}: ${
                n.payload.title
              }`,
          )
          .sort();
      const first = told();
      // The entity's and the cluster Resource's owners: the drop and the
      // critical findings, one notification each.
      expect(first).toEqual([
        `component:default/checkout-api: AKS Baseline: 2 new critical findings on checkout-api (${PROD})`,
        `component:default/checkout-api: AKS Baseline: checkout-api fell from ${before} to ${after} on ${PROD}`,
        `resource:default/${PROD}: AKS Baseline: 2 new critical findings on ${PROD} (${PROD})`,
        expect.stringMatching(
          new RegExp(
            `^resource:default/${PROD}: AKS Baseline: ${PROD} fell from \\d+ to \\d+ on ${PROD}$`,
          ),
        ),
      ]);
      // One notification per change and entity.
      expect(new Set(first).size).toBe(first.length);

      // Evaluated again with nothing new: nobody is told anything.
      await request(ctx.server)
        .post('/api/aks-baseline/evaluations')
        .send({ cluster: PROD });
      await ctx.waitForLog(/Evaluated cluster aks-prod-westeurope/, 3);
      expect(told()).toEqual(first);
    } finally {
      await ctx.cleanup();
    }
  });
});
