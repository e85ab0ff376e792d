import { namespaceEntityName } from './entities';

describe('namespaceEntityName', () => {
  // The names the scaffolder module's namespace template gives the same
  // namespaces: its output link must open the entity this provider emits.
  it.each([
    ['payments', 'aks-prod-westeurope', 'payments.aks-prod-westeurope'],
    [
      'a-rather-long-namespace-name-for-the-checkout-team',
      'aks-prod-westeurope-001',
      'a-rather-long-namespace-name-for-the-checkout-team.1836c739',
    ],
  ])('%s on %s is %s, as the template names it', (ns, cluster, name) => {
    expect(namespaceEntityName(ns, cluster)).toBe(name);
  });
});
