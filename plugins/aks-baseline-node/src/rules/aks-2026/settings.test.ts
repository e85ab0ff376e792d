import { evaluateRule } from '../../testUtils';
import {
  costAnalysisEnabled,
  egressControlled,
  etcdKmsEncryption,
  httpApplicationRoutingOff,
  imageCleanerEnabled,
  kmsKeyVaultPrivate,
  nodeResourceGroupLocked,
  runCommandDisabled,
  uptimeSlaTier,
} from './settings';
import {
  exampleCluster,
  NAT_GATEWAY,
  OLD_GET,
  PREMIUM,
  snapshotFrom,
} from './test-snapshots';

const prod = { profile: 'production' as const };
const AZ =
  '--subscription 00000000-0000-0000-0000-000000000000 --resource-group rg1 --name clustername1';

describe('fields the document may not carry', () => {
  it('reads an absent field as off in a 2026-07-01 document, as unknown in a 2021-05-01 one', () => {
    const recent = evaluateRule(
      imageCleanerEnabled,
      snapshotFrom(exampleCluster(PREMIUM)),
    )[0];
    expect(recent).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'securityProfile.imageCleaner.enabled', value: undefined },
      ],
      fix: {
        kind: 'command',
        command: `az aks update ${AZ} --enable-image-cleaner --image-cleaner-interval-hours 168`,
      },
    });
    const old = evaluateRule(
      imageCleanerEnabled,
      snapshotFrom(exampleCluster(OLD_GET)),
    )[0];
    expect(old.status).toBe('unknown');
    expect(old.message).toContain('api-version 2021-05-01 predates it');
  });

  it('is unknown when the api-version is not known (az aks show, unwrapped)', () => {
    const body = exampleCluster(PREMIUM).responses['200'].body;
    const outcome = evaluateRule(imageCleanerEnabled, snapshotFrom(body))[0];
    expect(outcome.status).toBe('unknown');
    expect(outcome.message).toContain('its api-version is not known');
  });
});

describe('image-cleaner-enabled (AX-02)', () => {
  it('passes an enabled cleaner and fails a disabled one', () => {
    const on = exampleCluster(PREMIUM, p => {
      p.securityProfile = {
        imageCleaner: { enabled: true, intervalHours: 48 },
      };
    });
    expect(evaluateRule(imageCleanerEnabled, snapshotFrom(on))[0].status).toBe(
      'pass',
    );
    const off = exampleCluster(OLD_GET, p => {
      p.securityProfile = { imageCleaner: { enabled: false } };
    });
    expect(evaluateRule(imageCleanerEnabled, snapshotFrom(off))[0].status).toBe(
      'fail',
    );
  });
});

describe('etcd-kms-encryption and kms-key-vault-private (AX-03)', () => {
  it('fails a cluster without KMS; requires a private vault in production only', () => {
    expect(
      evaluateRule(etcdKmsEncryption, snapshotFrom(exampleCluster(PREMIUM)))[0]
        .status,
    ).toBe('fail');
    const publicVault = exampleCluster(PREMIUM, p => {
      p.securityProfile = {
        azureKeyVaultKms: {
          enabled: true,
          keyId: 'https://kv.vault.azure.net/keys/etcd/0123',
          keyVaultNetworkAccess: 'Public',
        },
      };
    });
    expect(
      evaluateRule(etcdKmsEncryption, snapshotFrom(publicVault))[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(kmsKeyVaultPrivate, snapshotFrom(publicVault), prod)[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [{ value: 'Public', expected: 'Private' }],
    });
    expect(
      evaluateRule(kmsKeyVaultPrivate, snapshotFrom(publicVault), {
        profile: 'non-production',
      })[0].status,
    ).toBe('not-applicable');
  });
});

describe('run-command-disabled (AX-04)', () => {
  it('passes the DisableRunCommand example and fails run command left on', () => {
    expect(
      evaluateRule(
        runCommandDisabled,
        snapshotFrom(exampleCluster(PREMIUM)),
        prod,
      )[0].status,
    ).toBe('pass');
    const on = exampleCluster(PREMIUM, p => {
      delete p.apiServerAccessProfile;
    });
    expect(
      evaluateRule(runCommandDisabled, snapshotFrom(on), prod)[0],
    ).toMatchObject({
      status: 'fail',
      fix: { command: `az aks update ${AZ} --disable-run-command` },
    });
  });
});

describe('egress-controlled (AX-05)', () => {
  it('fails loadBalancer and passes a managed NAT gateway', () => {
    expect(
      evaluateRule(
        egressControlled,
        snapshotFrom(exampleCluster(PREMIUM)),
        prod,
      )[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        { path: 'networkProfile.outboundType', value: 'loadBalancer' },
      ],
    });
    expect(
      evaluateRule(
        egressControlled,
        snapshotFrom(exampleCluster(NAT_GATEWAY)),
        prod,
      )[0].status,
    ).toBe('pass');
  });
});

describe('uptime-sla-tier (AX-06)', () => {
  it('passes Premium, fails Free', () => {
    expect(
      evaluateRule(
        uptimeSlaTier,
        snapshotFrom(exampleCluster(PREMIUM)),
        prod,
      )[0].status,
    ).toBe('pass');
    const free = exampleCluster(PREMIUM, (_p, body) => {
      body.sku.tier = 'Free';
    });
    expect(
      evaluateRule(uptimeSlaTier, snapshotFrom(free), prod)[0],
    ).toMatchObject({
      status: 'fail',
      fix: { command: `az aks update ${AZ} --tier standard` },
    });
  });
});

describe('node-resource-group-locked (AX-07)', () => {
  it('passes ReadOnly and fails the Unrestricted default', () => {
    const locked = exampleCluster(PREMIUM, p => {
      p.nodeResourceGroupProfile = { restrictionLevel: 'ReadOnly' };
    });
    expect(
      evaluateRule(nodeResourceGroupLocked, snapshotFrom(locked))[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(
        nodeResourceGroupLocked,
        snapshotFrom(exampleCluster(PREMIUM)),
      )[0].message,
    ).toContain('Unrestricted, the default');
  });
});

describe('cost-analysis-enabled (AX-11)', () => {
  it('applies to Standard and Premium tiers only', () => {
    expect(
      evaluateRule(
        costAnalysisEnabled,
        snapshotFrom(exampleCluster(PREMIUM)),
      )[0].status,
    ).toBe('fail');
    const on = exampleCluster(PREMIUM, p => {
      p.metricsProfile = { costAnalysis: { enabled: true } };
    });
    expect(evaluateRule(costAnalysisEnabled, snapshotFrom(on))[0].status).toBe(
      'pass',
    );
    expect(
      evaluateRule(
        costAnalysisEnabled,
        snapshotFrom(exampleCluster(NAT_GATEWAY)),
      )[0].status,
    ).toBe('not-applicable');
  });
});

describe('http-application-routing-off (AX-13)', () => {
  it('fails the retired add-on as az spells it, and passes without it', () => {
    expect(
      evaluateRule(
        httpApplicationRoutingOff,
        snapshotFrom(exampleCluster(PREMIUM)),
      )[0].status,
    ).toBe('pass');
    const on = exampleCluster(PREMIUM, p => {
      p.addonProfiles = {
        httpApplicationRouting: { enabled: true, config: null },
      };
    });
    expect(
      evaluateRule(httpApplicationRoutingOff, snapshotFrom(on))[0],
    ).toMatchObject({
      status: 'fail',
      fix: {
        kind: 'command',
        command: `az aks approuting enable ${AZ}\naz aks disable-addons ${AZ} --addons http_application_routing`,
      },
    });
  });
});
