import { evaluateRule } from '../../testUtils';
import {
  nodePoolEncryptionAtHost,
  nodePoolOsImageSupported,
  nodePoolSshDisabled,
  nodePoolTrustedLaunch,
  retiredImageOf,
} from './node-pools';
import {
  exampleCluster,
  OLD_GET,
  PREMIUM,
  snapshotFrom,
} from './test-snapshots';

const NOW = new Date('2026-12-02T08:00:00Z');
const POOL_ARGS =
  '--subscription 00000000-0000-0000-0000-000000000000 --resource-group rg1 --cluster-name clustername1 --name nodepool1';

function withPool(edit: (pool: any) => void, rel = PREMIUM) {
  return snapshotFrom(exampleCluster(rel, p => edit(p.agentPoolProfiles[0])));
}

describe('node-pool-os-image-supported (AX-01)', () => {
  it('tells retired images from their OS SKU or node image version', () => {
    expect(retiredImageOf('CBLMariner', undefined)?.name).toContain(
      'Azure Linux 2.0',
    );
    expect(
      retiredImageOf('AzureLinux', 'AKSAzureLinux-V2gen2-202510.03.0')?.name,
    ).toContain('Azure Linux 2.0');
    expect(
      retiredImageOf('AzureLinux', 'AKSAzureLinux-V3gen2-202510.03.0'),
    ).toBeUndefined();
    expect(retiredImageOf('Windows2019', undefined)?.retired).toBe(
      '2026-03-01',
    );
    expect(retiredImageOf('Windows2022', undefined)).toBeUndefined();
  });

  it('fails a Mariner pool after its retirement, with the migration command', () => {
    const outcome = evaluateRule(
      nodePoolOsImageSupported,
      withPool(pool => {
        pool.osSKU = 'CBLMariner';
        pool.nodeImageVersion = 'AKSCBLMariner-V2gen2-202509.10.0';
      }),
      { now: NOW },
    )[0];
    expect(outcome).toMatchObject({
      status: 'fail',
      fix: {
        kind: 'command',
        command: `az aks nodepool update ${POOL_ARGS} --os-sku AzureLinux3`,
      },
    });
  });

  it('passes a Windows2019 pool before 2026-03-01 only, then asks for a new pool', () => {
    const snapshot = withPool(pool => {
      pool.osType = 'Windows';
      pool.osSKU = 'Windows2019';
    });
    expect(
      evaluateRule(nodePoolOsImageSupported, snapshot, {
        now: new Date('2026-01-15T00:00:00Z'),
      })[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(nodePoolOsImageSupported, snapshot, { now: NOW })[0],
    ).toMatchObject({ status: 'fail', fix: { kind: 'manual' } });
  });

  it('passes the example pool (Ubuntu by default) and is unknown without SKU or image', () => {
    expect(
      evaluateRule(
        nodePoolOsImageSupported,
        withPool(() => {}),
        { now: NOW },
      )[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(
        nodePoolOsImageSupported,
        withPool(pool => {
          delete pool.nodeImageVersion;
        }),
        { now: NOW },
      )[0].status,
    ).toBe('unknown');
  });
});

describe('node-pool-trusted-launch and node-pool-encryption-at-host (AX-09)', () => {
  it('fails a 2026-07-01 pool without Trusted Launch, unknown on a 2021 document', () => {
    expect(
      evaluateRule(
        nodePoolTrustedLaunch,
        withPool(() => {}),
      )[0],
    ).toMatchObject({
      status: 'fail',
      message:
        'Node pool nodepool1 runs without secure boot and vTPM (Trusted Launch)',
      fix: {
        command: `az aks nodepool update ${POOL_ARGS} --enable-secure-boot --enable-vtpm`,
      },
    });
    expect(
      evaluateRule(
        nodePoolTrustedLaunch,
        withPool(() => {}, OLD_GET),
      )[0].status,
    ).toBe('unknown');
    expect(
      evaluateRule(
        nodePoolTrustedLaunch,
        withPool(pool => {
          pool.securityProfile = { enableSecureBoot: true, enableVTPM: true };
        }),
      )[0].status,
    ).toBe('pass');
  });

  it('passes the example pool with encryption at host, fails without', () => {
    expect(
      evaluateRule(
        nodePoolEncryptionAtHost,
        withPool(() => {}),
      )[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(
        nodePoolEncryptionAtHost,
        withPool(pool => {
          delete pool.enableEncryptionAtHost;
        }),
      )[0],
    ).toMatchObject({ status: 'fail', fix: { kind: 'manual' } });
  });
});

describe('node-pool-ssh-disabled (AX-10)', () => {
  it('in production, fails LocalUser (the default) and passes Disabled', () => {
    expect(
      evaluateRule(
        nodePoolSshDisabled,
        withPool(() => {}),
        {
          profile: 'production',
        },
      )[0],
    ).toMatchObject({
      status: 'fail',
      fix: {
        command: `az aks nodepool update ${POOL_ARGS} --ssh-access disabled`,
      },
    });
    expect(
      evaluateRule(
        nodePoolSshDisabled,
        withPool(pool => {
          pool.securityProfile = { sshAccess: 'Disabled' };
        }),
        { profile: 'production' },
      )[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(
        nodePoolSshDisabled,
        withPool(() => {}),
        {
          profile: 'non-production',
        },
      )[0].status,
    ).toBe('not-applicable');
  });
});
