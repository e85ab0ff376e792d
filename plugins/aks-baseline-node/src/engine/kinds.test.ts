import { isKubernetesGroup, kindForObject } from './kinds';

describe('isKubernetesGroup', () => {
  it("counts the core group, legacy groups, *.k8s.io and the SIG projects' *.x-k8s.io", () => {
    for (const group of [
      '',
      'apps',
      'extensions',
      'networking.k8s.io',
      'gateway.networking.k8s.io',
      'networking.x-k8s.io',
      'secrets-store.csi.x-k8s.io',
    ]) {
      expect([group, isKubernetesGroup(group)]).toEqual([group, true]);
    }
    for (const group of [
      'networking.istio.io',
      'projectcalico.org',
      'k8s.io.example.com',
      'notk8s.io',
    ]) {
      expect([group, isKubernetesGroup(group)]).toEqual([group, false]);
    }
  });

  it('reads a built-in kind in any Kubernetes group, a CRD kind only in its own', () => {
    expect(kindForObject('extensions/v1beta1', 'Deployment')?.kind).toBe(
      'Deployment',
    );
    expect(kindForObject('networking.istio.io/v1', 'Gateway')).toBeUndefined();
    // The old Gateway API group is Kubernetes', but not the group the rules read.
    expect(
      kindForObject('networking.x-k8s.io/v1alpha1', 'Gateway'),
    ).toBeUndefined();
  });
});
