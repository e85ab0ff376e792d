import { ConfigReader } from '@backstage/config';
import { readFleetProviderConfig } from './config';

function read(aksBaseline: unknown) {
  return readFleetProviderConfig(
    new ConfigReader(
      aksBaseline === undefined
        ? {}
        : ({ catalog: { providers: { aksBaseline } } } as any),
    ),
  );
}

describe('readFleetProviderConfig', () => {
  it('is off without configuration', () => {
    expect(read(undefined)).toBeUndefined();
  });

  it('reads the owners as entity refs, with defaults', () => {
    expect(read({ clusters: { owner: 'platform-engineering' } })).toEqual({
      schedule: {
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
        initialDelay: { seconds: 30 },
      },
      clusters: { owner: 'group:default/platform-engineering' },
      namespaces: { ownerLabel: 'aks-baseline.io/owner' },
    });
  });

  it('needs an owner for cluster Resources', () => {
    expect(() => read({})).toThrow(
      "Invalid configuration at 'catalog.providers.aksBaseline.clusters.owner': is required",
    );
  });

  it('names a malformed ref by its path', () => {
    expect(() => read({ clusters: { owner: 'team payments' } })).toThrow(
      /catalog\.providers\.aksBaseline\.clusters\.owner': 'team payments' is not an entity ref/,
    );
  });
});
