import { kubeObject, evaluateRule } from '../../testUtils';
import {
  clusterBackupConfigured,
  deploymentSafeguardsOn,
  istioRevisionSupported,
} from './platform';
import {
  BACKUP_LIST,
  example,
  MESH_PROFILE,
  exampleCluster,
  PREMIUM,
  SERVICE_MESH,
  snapshotFrom,
} from './test-snapshots';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1';

/** The `default` resource as GET …/deploymentSafeguards/default returns it (2025-05-02-preview). */
function safeguards(level: string, pss?: string) {
  return {
    value: [
      {
        id: `${CLUSTER_ID}/providers/Microsoft.ContainerService/deploymentSafeguards/default`,
        name: 'default',
        type: 'Microsoft.ContainerService/deploymentSafeguards',
        properties: {
          level,
          ...(pss ? { podSecurityStandardsLevel: pss } : {}),
          excludedNamespaces: ['ns1'],
          systemExcludedNamespaces: ['kube-system', 'calico-system'],
          provisioningState: 'Succeeded',
        },
      },
    ],
  };
}

function withSafeguards(doc: unknown) {
  return snapshotFrom(exampleCluster(PREMIUM), {
    deploymentSafeguards: { file: 'deploymentsafeguards.json', value: doc },
  });
}

describe('deployment-safeguards-on (AX-08)', () => {
  it('is unknown when not read, naming why', () => {
    const snapshot = snapshotFrom(exampleCluster(PREMIUM));
    snapshot.arm = {
      ...snapshot.arm,
      unreadable: {
        deploymentSafeguards: 'Azure Resource Manager returned 403 Forbidden',
      },
    };
    expect(evaluateRule(deploymentSafeguardsOn, snapshot)[0]).toMatchObject({
      status: 'unknown',
      message:
        'Deployment Safeguards were not read: Azure Resource Manager returned 403 Forbidden',
    });
  });

  it('fails a cluster without the resource, with the create command', () => {
    expect(
      evaluateRule(deploymentSafeguardsOn, withSafeguards({ value: [] }), {
        profile: 'production',
      })[0],
    ).toMatchObject({
      status: 'fail',
      fix: {
        command: expect.stringMatching(
          /^az aks safeguards create .* --level Enforce --pss-level Baseline$/,
        ),
      },
    });
  });

  it('accepts Warn outside production only, and needs Baseline or Restricted', () => {
    const warn = withSafeguards(safeguards('Warn', 'Baseline'));
    expect(
      evaluateRule(deploymentSafeguardsOn, warn, {
        profile: 'non-production',
      })[0].status,
    ).toBe('pass');
    expect(
      evaluateRule(deploymentSafeguardsOn, warn, { profile: 'production' })[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        {
          path: 'deploymentSafeguards.level',
          value: 'Warn',
          expected: 'Enforce',
        },
      ],
    });
    expect(
      evaluateRule(
        deploymentSafeguardsOn,
        withSafeguards(safeguards('Enforce', 'Privileged')),
        { profile: 'production' },
      )[0].message,
    ).toContain('Pod Security Standards level is Privileged');
    // 2025-04-01 has no PSS level: not evidence of none.
    expect(
      evaluateRule(
        deploymentSafeguardsOn,
        withSafeguards(safeguards('Enforce')),
        { profile: 'production' },
      )[0].status,
    ).toBe('unknown');
  });
});

describe('istio-revision-supported (AX-12)', () => {
  const profile = () => ({
    file: 'meshrevisionprofiles.json',
    value: example(MESH_PROFILE),
  });

  it('passes asm-1-17 while the region offers it, fails it once it does not', () => {
    expect(
      evaluateRule(
        istioRevisionSupported,
        snapshotFrom(exampleCluster(SERVICE_MESH), {
          meshRevisions: profile(),
        }),
      )[0].status,
    ).toBe('pass');
    const old = exampleCluster(SERVICE_MESH, p => {
      p.serviceMeshProfile.istio.revisions = ['asm-1-16'];
    });
    expect(
      evaluateRule(
        istioRevisionSupported,
        snapshotFrom(old, { meshRevisions: profile() }),
      )[0],
    ).toMatchObject({
      status: 'fail',
      evidence: [
        { value: ['asm-1-16'], expected: 'one of asm-1-17, asm-1-18' },
      ],
      fix: {
        command: expect.stringMatching(
          /mesh upgrade start .* --revision asm-1-18$/,
        ),
      },
    });
  });

  it('is unknown without the region profile and not applicable without Istio', () => {
    expect(
      evaluateRule(
        istioRevisionSupported,
        snapshotFrom(exampleCluster(SERVICE_MESH)),
      )[0].status,
    ).toBe('unknown');
    expect(
      evaluateRule(
        istioRevisionSupported,
        snapshotFrom(exampleCluster(PREMIUM)),
      )[0].status,
    ).toBe('not-applicable');
  });
});

describe('cluster-backup-configured (AX-15)', () => {
  /** The published list, its data source made this AKS cluster. */
  function aksInstances(status: string) {
    const doc = example(BACKUP_LIST);
    const item = doc.responses['200'].body.value[0];
    item.properties.dataSourceInfo.datasourceType =
      'Microsoft.ContainerService/managedClusters';
    item.properties.dataSourceInfo.resourceID = CLUSTER_ID;
    item.properties.protectionStatus.status = status;
    item.properties.currentProtectionState = status;
    return { file: 'backupinstances.json', value: doc };
  }

  it('passes a protected AKS backup instance', () => {
    expect(
      evaluateRule(
        clusterBackupConfigured,
        snapshotFrom(exampleCluster(PREMIUM), {
          backupInstances: aksInstances('ProtectionConfigured'),
        }),
      )[0].status,
    ).toBe('pass');
  });

  it('does not count the example disk backup or a stopped one', () => {
    const disk = snapshotFrom(exampleCluster(PREMIUM), {
      backupInstances: {
        file: 'backupinstances.json',
        value: example(BACKUP_LIST),
      },
    });
    // Kubernetes not read (ARM only): Velero unknown, so not a fail.
    expect(evaluateRule(clusterBackupConfigured, disk)[0].status).toBe(
      'unknown',
    );
    disk.coverage = {
      mode: 'cluster',
      unreadable: {},
      absentKinds: ['Schedule'],
    };
    expect(evaluateRule(clusterBackupConfigured, disk)[0].status).toBe('fail');
    const stopped = snapshotFrom(exampleCluster(PREMIUM), {
      backupInstances: aksInstances('ProtectionStopped'),
      kubernetes: [
        {
          file: 'empty.json',
          value: { apiVersion: 'v1', kind: 'List', items: [] },
        },
      ],
    });
    expect(evaluateRule(clusterBackupConfigured, stopped)[0]).toMatchObject({
      status: 'fail',
      fix: { kind: 'manual' },
    });
  });

  it('passes an active Velero schedule when AKS Backup is not used', () => {
    const snapshot = snapshotFrom(exampleCluster(PREMIUM), {
      backupInstances: { file: 'backupinstances.json', value: { value: [] } },
      kubernetes: [
        {
          file: 'velero.json',
          value: kubeObject('Schedule', 'daily', 'velero', {
            schedule: '0 2 * * *',
            template: { includedNamespaces: ['*'] },
          }),
        },
      ],
    });
    expect(evaluateRule(clusterBackupConfigured, snapshot)[0].status).toBe(
      'pass',
    );
  });

  it('is unknown when the backup instances were not read', () => {
    expect(
      evaluateRule(
        clusterBackupConfigured,
        snapshotFrom(exampleCluster(PREMIUM)),
      )[0].message,
    ).toContain('its Data Protection backup instances were not read');
  });
});
