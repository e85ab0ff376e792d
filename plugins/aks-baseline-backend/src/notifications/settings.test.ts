import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readNotificationSettings } from './settings';

function read(notifications: JsonObject) {
  return readNotificationSettings(
    new ConfigReader({ aksBaseline: { notifications } }),
  );
}

describe('readNotificationSettings', () => {
  it('is off unless enabled', () => {
    expect(readNotificationSettings(new ConfigReader({}))).toBeUndefined();
    expect(read({ scoreDrop: 10 })).toBeUndefined();
    expect(read({ enabled: false, scoreDrop: 10 })).toBeUndefined();
  });

  it('leaves the score rules off unless their numbers are given', () => {
    expect(read({ enabled: true })).toEqual({
      criticalFindings: true,
      waiverExpiryDays: 14,
      entityTab: 'aks-baseline',
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        enabled: true,
        scoreDrop: 10,
        scoreBelow: 60,
        criticalFindings: false,
        waiverExpiryDays: 7,
        staleCluster: { platformTeam: 'platform-team', after: { hours: 2 } },
        entityTab: 'compliance',
      }),
    ).toEqual({
      scoreDropPoints: 10,
      scoreThreshold: 60,
      criticalFindings: false,
      waiverExpiryDays: 7,
      staleCluster: {
        afterMs: 2 * 60 * 60 * 1000,
        platformTeam: 'group:default/platform-team',
      },
      entityTab: 'compliance',
    });
  });

  it('names the setting that is wrong', () => {
    expect(() => read({ enabled: true, scoreDrop: 0 })).toThrow(
      'aksBaseline.notifications.scoreDrop must be a number of points between 1 and 100, got 0',
    );
    expect(() => read({ enabled: true, waiverExpiryDays: 1.5 })).toThrow(
      /waiverExpiryDays must be a whole number/,
    );
    expect(() =>
      read({ enabled: true, staleCluster: { platformTeam: 'group:default/' } }),
    ).toThrow(/staleCluster.platformTeam must be an entity ref/);
  });
});
