import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { normalizeDeploymentSafeguards } from '../readers';
import { RULE_CATALOG } from '../rules';
import {
  admissionControl,
  ADMISSION_CONTROLLED_RULES,
  namespacePodSecurityControl,
} from './admission';

/** The `default` resource as the list of …/deploymentSafeguards returns it. */
function safeguards(
  level: string,
  pss?: string,
  excludedNamespaces: string[] = [],
) {
  return normalizeDeploymentSafeguards({
    value: [
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1/providers/Microsoft.ContainerService/deploymentSafeguards/default',
        name: 'default',
        type: 'Microsoft.ContainerService/deploymentSafeguards',
        properties: {
          level,
          ...(pss ? { podSecurityStandardsLevel: pss } : {}),
          excludedNamespaces,
          systemExcludedNamespaces: ['kube-system', 'calico-system'],
          provisioningState: 'Succeeded',
        },
      },
    ],
  });
}

function finding(ruleId: string, namespace = 'shop'): Finding {
  return {
    ruleId,
    baselineRef: 'PS-05',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    resource: { kind: 'Deployment', name: 'web', namespace },
    message: 'm',
  };
}

describe('admissionControl', () => {
  it('names rules of the catalog only', () => {
    const ids = new Set(RULE_CATALOG.map(r => r.id));
    expect(ADMISSION_CONTROLLED_RULES.filter(id => !ids.has(id))).toEqual([]);
  });

  it('marks what Enforce refuses or mutates, and what Warn only warns about', () => {
    expect(
      admissionControl(
        finding('container-resource-requests'),
        safeguards('Enforce'),
      ),
    ).toMatchObject({ by: 'Deployment Safeguards', effect: 'mutate' });
    expect(
      admissionControl(
        finding('container-readiness-probe'),
        safeguards('Enforce'),
      )?.note,
    ).toBe(
      'enforced at admission by Safeguards (Ensure cluster containers have readiness or liveness probes configured)',
    );
    expect(
      admissionControl(
        finding('container-readiness-probe'),
        safeguards('Warn'),
      ),
    ).toMatchObject({
      effect: 'warn',
      note: expect.stringMatching(/^warned at admission/),
    });
  });

  it('marks Pod Security findings only up to the configured level', () => {
    const baseline = safeguards('Enforce', 'Baseline');
    expect(
      admissionControl(finding('container-not-privileged'), baseline),
    ).toMatchObject({
      by: 'Pod Security Standards',
      policy: 'Baseline',
      effect: 'deny',
    });
    expect(
      admissionControl(finding('container-run-as-non-root'), baseline),
    ).toBe(undefined);
    expect(
      admissionControl(
        finding('container-run-as-non-root'),
        safeguards('Enforce', 'Restricted'),
      )?.effect,
    ).toBe('deny');
  });

  it('leaves alone excluded namespaces, other rules, and clusters without Safeguards', () => {
    const s = safeguards('Enforce', 'Restricted', ['legacy']);
    expect(
      admissionControl(finding('container-not-privileged', 'legacy'), s),
    ).toBe(undefined);
    expect(
      admissionControl(finding('container-not-privileged', 'kube-system'), s),
    ).toBe(undefined);
    expect(admissionControl(finding('container-image-pinned'), s)).toBe(
      undefined,
    );
    expect(admissionControl(finding('container-not-privileged'), [])).toBe(
      undefined,
    );
    expect(
      admissionControl(finding('container-not-privileged'), undefined),
    ).toBe(undefined);
  });
});

describe('namespacePodSecurityControl', () => {
  it('refuses what the namespace enforce level covers, workloads by their pods', () => {
    const workload = namespacePodSecurityControl(
      finding('container-run-as-non-root', 'payments'),
      'restricted',
    );
    expect(workload).toEqual({
      by: 'Pod Security Standards',
      policy: 'restricted',
      effect: 'deny',
      note: 'admitted, its pods refused at admission by Pod Security Admission (namespace payments enforces restricted)',
    });
    const pod = {
      ...finding('container-not-privileged', 'payments'),
      resource: { kind: 'Pod', namespace: 'payments', name: 'debug' },
    };
    expect(namespacePodSecurityControl(pod, 'Baseline')?.note).toBe(
      'refused at admission by Pod Security Admission (namespace payments enforces baseline)',
    );
  });

  it('leaves alone a level below the rule, no label, and other rules', () => {
    const nonRoot = finding('container-run-as-non-root');
    expect(namespacePodSecurityControl(nonRoot, 'baseline')).toBeUndefined();
    expect(namespacePodSecurityControl(nonRoot, undefined)).toBeUndefined();
    expect(
      namespacePodSecurityControl(
        finding('container-resource-requests'),
        'restricted',
      ),
    ).toBeUndefined();
  });
});
