import {
  addonEnabled,
  hasTaint,
  isSystemPool,
  minorKeyOf,
  minorText,
  patchOf,
  pick,
  pickKey,
} from './helpers';
import { compliantCluster, pool } from './test-models';

describe('ARM rule helpers', () => {
  it('parses versions without allocating', () => {
    expect(minorKeyOf('1.32.9')).toBe(1032);
    expect(minorKeyOf('v1.33')).toBe(1033);
    expect(minorKeyOf('1.9.6')).toBe(1009);
    expect(minorKeyOf('1')).toBeNaN();
    expect(minorKeyOf('latest')).toBeNaN();
    expect(minorKeyOf(undefined)).toBeNaN();
    expect(patchOf('1.32.9')).toBe(9);
    expect(patchOf('1.32')).toBeNaN();
    expect(minorText(1032)).toBe('1.32');
  });

  it('matches taints on key, value and effect exactly', () => {
    const p = pool({
      name: 'p',
      nodeTaints: [
        'CriticalAddonsOnly=true:NoSchedule',
        'nvidia.com/gpu:NoExecute',
      ],
    });
    const effects = ['NoSchedule', 'NoExecute'];
    expect(hasTaint(p, 'CriticalAddonsOnly', 'true', effects)).toBe(true);
    expect(hasTaint(p, 'CriticalAddonsOnly', 'false', effects)).toBe(false);
    expect(hasTaint(p, 'CriticalAddons', undefined, effects)).toBe(false);
    expect(
      hasTaint(p, 'CriticalAddonsOnly', 'true', ['PreferNoSchedule']),
    ).toBe(false);
    expect(hasTaint(p, 'nvidia.com/gpu', undefined, effects)).toBe(true);
    expect(
      hasTaint(pool({ name: 'q' }), 'CriticalAddonsOnly', 'true', effects),
    ).toBe(false);
  });

  it('finds add-ons whatever the case of their key', () => {
    const mc = compliantCluster();
    mc.addonProfiles = {
      azurePolicy: { enabled: true },
      omsAgent: { enabled: false },
    };
    expect(addonEnabled(mc, 'azurepolicy')).toBe(true);
    expect(addonEnabled(mc, 'omsagent')).toBe(false);
    expect(addonEnabled(mc, 'azurekeyvaultsecretsprovider')).toBe(false);
  });

  it('reads az and SDK spellings', () => {
    expect(
      pick(
        { authorizedIpRanges: ['1.2.3.0/24'] },
        'authorizedIPRanges',
        'authorizedIpRanges',
      ),
    ).toEqual(['1.2.3.0/24']);
    expect(
      pickKey(
        { authorizedIpRanges: ['x'] },
        'authorizedIPRanges',
        'authorizedIpRanges',
      ),
    ).toBe('authorizedIpRanges');
    expect(pickKey({}, 'authorizedIPRanges', 'authorizedIpRanges')).toBe(
      'authorizedIPRanges',
    );
    expect(
      pick({ enableRBAC: null, enableRbac: false }, 'enableRBAC', 'enableRbac'),
    ).toBe(false);
  });

  it('decides System pools by mode, else by position', () => {
    const a = pool({ name: 'a', mode: 'system' });
    const b = pool({ name: 'b', mode: 'User' });
    expect(isSystemPool(a, [a, b])).toBe(true);
    expect(isSystemPool(b, [a, b])).toBe(false);
    const c = pool({ name: 'c', mode: undefined });
    const d = pool({ name: 'd', mode: undefined });
    expect(isSystemPool(c, [c, d])).toBe(true);
    expect(isSystemPool(d, [c, d])).toBe(false);
  });
});

describe('version and taint edge cases', () => {
  it('reads versions as the rules always have', () => {
    expect(minorKeyOf('  v1.31.2')).toBe(1031);
    expect(minorKeyOf('1.x')).toBeNaN();
    expect(minorKeyOf('1.30-rc.1')).toBe(1030);
    expect(patchOf('1.30.10-hotfix')).toBe(10);
    // The patch is the number after the second dot, wherever it stands.
    expect(patchOf('1.30-rc.5')).toBe(5);
    expect(patchOf('1.30.x')).toBeNaN();
    expect(patchOf('latest')).toBeNaN();
  });

  it('matches taints by key, value and effect exactly', () => {
    const p = pool({
      name: 't',
      nodeTaints: [
        'kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
        'dedicated:NoExecute',
        'notataint',
      ],
    });
    const effects = ['NoSchedule', 'NoExecute'];
    expect(
      hasTaint(p, 'kubernetes.azure.com/scalesetpriority', 'spot', effects),
    ).toBe(true);
    expect(
      hasTaint(p, 'kubernetes.azure.com/scalesetpriority', undefined, effects),
    ).toBe(true);
    expect(hasTaint(p, 'kubernetes.azure.com', undefined, effects)).toBe(false);
    expect(hasTaint(p, 'dedicated', undefined, effects)).toBe(true);
    expect(hasTaint(p, 'dedicated', '', effects)).toBe(false);
    expect(hasTaint(p, 'notataint', undefined, effects)).toBe(false);
  });
});
