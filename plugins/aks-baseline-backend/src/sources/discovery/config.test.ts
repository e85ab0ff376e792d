import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readAzureDiscovery } from './config';

const SUB = '11111111-1111-1111-1111-111111111111';

function read(azure: JsonObject | undefined) {
  return readAzureDiscovery(
    new ConfigReader(
      azure === undefined ? {} : { aksBaseline: { discovery: { azure } } },
    ),
  );
}

describe('readAzureDiscovery', () => {
  it('is off without configuration', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('reads subscriptions, filters, schedule and identity with defaults', () => {
    expect(
      read({
        subscriptions: [SUB, SUB.toUpperCase()],
        resourceGroups: ['rg-aks'],
        tags: { Environment: 'prod', team: '*' },
        exclude: ['sandbox-*'],
        schedule: { frequency: { minutes: 30 } },
        kubernetes: { enabled: false },
      }),
    ).toEqual({
      subscriptions: [SUB],
      resourceGroups: ['rg-aks'],
      tags: { Environment: 'prod', team: '*' },
      include: [],
      exclude: ['sandbox-*'],
      schedule: {
        frequency: { minutes: 30 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 0 },
      },
      identity: {},
      kubernetesEnabled: false,
    });
  });

  it.each([
    [{}, /discovery\.azure\.subscriptions': list the subscription ids/],
    [{ subscriptions: [] }, /discovery\.azure\.subscriptions'/],
    [
      { subscriptions: ['prod'] },
      /discovery\.azure\.subscriptions\[0\]': 'prod' is not a subscription id/,
    ],
    [
      { subscriptions: [SUB], resourceGroups: ['bad/group'] },
      /discovery\.azure\.resourceGroups\[0\]'/,
    ],
    [
      { subscriptions: [SUB], tags: { team: 3 } },
      /discovery\.azure\.tags\.team': must be a string/,
    ],
    [
      { subscriptions: [SUB], clientSecret: 'x' },
      /clientSecret needs tenantId and clientId/,
    ],
  ])('refuses %j naming the path', (azure, message) => {
    expect(() => read(azure as JsonObject)).toThrow(message);
  });
});
