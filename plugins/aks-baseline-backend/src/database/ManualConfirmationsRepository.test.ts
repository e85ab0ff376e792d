import { TestDatabases } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from './tables';
import { ManualConfirmationsRepository } from './ManualConfirmationsRepository';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const SERVICE = 'component:default/checkout-api';
const JANE = 'user:default/jane.doe';
const SARA = 'user:default/sara.park';

describe('ManualConfirmationsRepository', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'keeps who confirmed what and when, withdrawals and expiry, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      const repo = new ManualConfirmationsRepository(knex, 30 * DAY);
      const t0 = new Date('2026-11-01T10:00:00.000Z');
      const later = (days: number) => new Date(t0.getTime() + days * DAY);

      await repo.record({
        entityRef: SERVICE,
        ruleId: 'images-scanned-in-ci',
        action: 'confirmed',
        by: JANE,
        at: t0,
      });
      await repo.record({
        entityRef: SERVICE,
        ruleId: 'gitops-workflow',
        action: 'confirmed',
        by: JANE,
        at: later(1),
      });
      await repo.record({
        entityRef: SERVICE,
        ruleId: 'gitops-workflow',
        action: 'withdrawn',
        by: SARA,
        at: later(2),
      });
      // Another entity's items are its own.
      await repo.record({
        entityRef: 'component:default/other',
        ruleId: 'gitops-workflow',
        action: 'confirmed',
        by: SARA,
        at: later(2),
      });

      expect(await repo.current(SERVICE, later(3))).toEqual([
        {
          ruleId: 'images-scanned-in-ci',
          by: JANE,
          confirmedAt: t0.toISOString(),
          expiresAt: later(30).toISOString(),
        },
      ]);
      // Past its period, a confirmation has expired.
      expect(await repo.current(SERVICE, later(31))).toEqual([]);

      expect(await repo.history(SERVICE, 10)).toEqual([
        {
          ruleId: 'gitops-workflow',
          action: 'withdrawn',
          by: SARA,
          at: later(2).toISOString(),
        },
        {
          ruleId: 'gitops-workflow',
          action: 'confirmed',
          by: JANE,
          at: later(1).toISOString(),
        },
        {
          ruleId: 'images-scanned-in-ci',
          action: 'confirmed',
          by: JANE,
          at: t0.toISOString(),
        },
      ]);
      expect(await repo.history(SERVICE, 1)).toHaveLength(1);
    },
  );
});
