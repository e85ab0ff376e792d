import { findObject, kubeFixtureObjects } from '../../__fixtures__/kubernetes';
import { KubeObject } from '../../engine/types';
import {
  deployment,
  evaluateRule,
  makeSnapshot,
  namespaceObject,
  outcomeFor,
} from '../../testUtils';
import {
  evaluateFixtures,
  evidencePaths,
  fixtureOutcome,
  objectsOutcome,
  snapshotOf,
} from '../shared/test-utils';
import { containerNotPrivileged, podNoHostAccess } from './host-access';
import { podSecurityRules } from './index';
import { namespacePodSecurityLabels } from './namespace-labels';
import {
  containerDropAllCapabilities,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFilesystem,
  containerRunAsNonRoot,
  containerSeccompProfile,
} from './security-context';

/** The compliant storefront with its pod spec edited. */
function storefrontWith(edit: (podSpec: any) => void): KubeObject[] {
  const objects = kubeFixtureObjects('shopStorefront');
  edit(findObject(objects, 'Deployment', 'storefront').spec.template.spec);
  return objects;
}

describe('pod security rules', () => {
  it('exports PS-01..PS-07 with unique ids', () => {
    const refs = podSecurityRules.map(r => r.baselineRef);
    expect(new Set(refs)).toEqual(
      new Set(['PS-01', 'PS-02', 'PS-03', 'PS-04', 'PS-05', 'PS-06', 'PS-07']),
    );
    const ids = podSecurityRules.map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the compliant fixtures pass every workload rule', () => {
    const snap = snapshotOf(
      kubeFixtureObjects(
        'shopStorefront',
        'shopOrdersDb',
        'shopNightlyReport',
        'shopDbMigrate',
      ),
    );
    for (const rule of podSecurityRules) {
      for (const o of evaluateRule(rule, snap)) {
        expect({ rule: rule.id, name: o.ref.name, status: o.status }).toEqual({
          rule: rule.id,
          name: o.ref.name,
          status: 'pass',
        });
      }
    }
  });
});

describe('namespace-pod-security-labels (PS-01)', () => {
  it('on manifests, is unknown for a namespace whose Namespace object is not among them, and judged when it is', () => {
    const objects = kubeFixtureObjects('shopStorefront').filter(
      o => o.kind !== 'Namespace',
    );
    const [o] = evaluateRule(
      namespacePodSecurityLabels,
      makeSnapshot({ objects, coverage: { mode: 'manifests' } }),
    );
    // Before: the namespace was no subject at all, and nothing said so.
    expect(o).toMatchObject({
      ref: { kind: 'Namespace', name: 'shop' },
      status: 'unknown',
      message:
        'The Namespace shop is not among the manifests: its labels and settings are unknown',
      notProvided: { kind: 'Namespace', namespace: 'shop' },
    });
    const [given] = evaluateRule(
      namespacePodSecurityLabels,
      makeSnapshot({
        objects: kubeFixtureObjects('shopStorefront'),
        coverage: { mode: 'manifests' },
      }),
    );
    expect(given.status).toBe('pass');
  });

  it('passes a production namespace enforcing restricted', () => {
    const o = fixtureOutcome(
      namespacePodSecurityLabels,
      ['shopStorefront'],
      'shop',
    );
    expect(o.status).toBe('pass');
    expect(o.profile).toBe('production');
  });

  it('fails a production namespace without labels, listing each missing one', () => {
    const o = fixtureOutcome(
      namespacePodSecurityLabels,
      ['legacyWeb'],
      'legacy',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Namespace legacy: missing Pod Security label(s) enforce, audit, warn (production namespaces need restricted for enforce, audit and warn).',
    );
    expect(o.evidence).toEqual([
      {
        path: "metadata.labels['pod-security.kubernetes.io/enforce']",
        value: undefined,
        expected: 'restricted',
      },
      {
        path: "metadata.labels['pod-security.kubernetes.io/audit']",
        value: undefined,
        expected: 'restricted',
      },
      {
        path: "metadata.labels['pod-security.kubernetes.io/warn']",
        value: undefined,
        expected: 'restricted',
      },
    ]);
  });

  it('fails enforce=privileged outside production, naming only that label', () => {
    const o = fixtureOutcome(
      namespacePodSecurityLabels,
      ['nodeLogAgent'],
      'observability',
    );
    expect(o.profile).toBe('non-production');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Namespace observability: level too weak or invalid: enforce=privileged (namespaces need at least baseline for enforce, audit and warn).',
    );
    expect(evidencePaths(o)).toEqual([
      "metadata.labels['pod-security.kubernetes.io/enforce']",
    ]);
    expect(o.evidence![0].value).toBe('privileged');
  });

  it('accepts baseline outside production but not in production', () => {
    const baseline = {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    };
    const outcomes = evaluateRule(
      namespacePodSecurityLabels,
      snapshotOf([
        namespaceObject('dev', { ...baseline, environment: 'development' }),
        namespaceObject('payments', { ...baseline, environment: 'production' }),
      ]),
    );
    expect(outcomeFor(outcomes, 'dev').status).toBe('pass');
    const prod = outcomeFor(outcomes, 'payments');
    expect(prod.status).toBe('fail');
    expect(prod.message).toMatch(/enforce=baseline/);
    expect(evidencePaths(prod)).toEqual([
      "metadata.labels['pod-security.kubernetes.io/enforce']",
    ]);
  });

  it('treats a mis-cased level as invalid (PSA parses levels exactly)', () => {
    const [o] = evaluateRule(
      namespacePodSecurityLabels,
      snapshotOf([
        namespaceObject('dev', {
          'pod-security.kubernetes.io/enforce': 'Restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        }),
      ]),
    );
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/enforce=Restricted/);
  });

  it('excludes system namespaces', () => {
    const outcomes = evaluateRule(
      namespacePodSecurityLabels,
      snapshotOf([namespaceObject('kube-system'), namespaceObject('dev')]),
    );
    expect(outcomes.map(o => o.ref.name)).toEqual(['dev']);
  });

  it('is unknown when the namespace is only known from its objects', () => {
    const [o] = evaluateRule(
      namespacePodSecurityLabels,
      snapshotOf([deployment('api', 'orphan')]),
    );
    expect(o.ref.name).toBe('orphan');
    expect(o.status).toBe('unknown');
    expect(o.message).toMatch(/Namespace object orphan was not read/);
  });
});

describe('container-run-as-non-root (PS-02)', () => {
  it('fails the legacy deployment, with evidence per container', () => {
    const o = fixtureOutcome(
      containerRunAsNonRoot,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics may run as root: set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.runAsNonRoot',
        value: undefined,
        expected: 'true (container or pod securityContext)',
      },
      {
        path: 'spec.template.spec.containers[0].securityContext.runAsUser',
        value: undefined,
        expected: 'a non-zero UID, e.g. 1000',
      },
      {
        path: 'spec.template.spec.containers[1].securityContext.runAsNonRoot',
        value: undefined,
        expected: 'true (container or pod securityContext)',
      },
      {
        path: 'spec.template.spec.containers[1].securityContext.runAsUser',
        value: 0,
        expected: 'a non-zero UID, e.g. 1000',
      },
    ]);
  });

  it('inherits the pod-level security context', () => {
    const objects = storefrontWith(spec => {
      delete spec.containers[0].securityContext.runAsNonRoot;
      delete spec.containers[0].securityContext.runAsUser;
    });
    const o = objectsOutcome(containerRunAsNonRoot, objects, 'storefront');
    expect(o.status).toBe('pass');
  });

  it('points at the pod-level field when that is where the wrong value is', () => {
    const objects = storefrontWith(spec => {
      spec.securityContext.runAsNonRoot = false;
      delete spec.containers[0].securityContext.runAsNonRoot;
    });
    const o = objectsOutcome(containerRunAsNonRoot, objects, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.securityContext.runAsNonRoot',
        value: false,
        expected: 'true (container or pod securityContext)',
      },
    ]);
  });

  it('lets a container override the pod-level value', () => {
    const objects = storefrontWith(spec => {
      spec.containers[0].securityContext.runAsUser = 0;
    });
    const o = objectsOutcome(containerRunAsNonRoot, objects, 'storefront');
    expect(o.status).toBe('fail');
    expect(evidencePaths(o)).toEqual([
      'spec.template.spec.containers[0].securityContext.runAsUser',
    ]);
  });

  it('checks init containers and marks them in the message', () => {
    const objects = storefrontWith(spec => {
      spec.initContainers = [
        {
          name: 'migrate',
          image: 'contoso.azurecr.io/shop/db-migrate:1.4.2',
          securityContext: { runAsUser: 0 },
        },
      ];
    });
    const o = objectsOutcome(containerRunAsNonRoot, objects, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Container migrate \(init\) may run as root/);
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.initContainers[0].securityContext.runAsUser',
        value: 0,
        expected: 'a non-zero UID, e.g. 1000',
      },
    ]);
  });

  it('uses the CronJob pod template path', () => {
    const objects = kubeFixtureObjects('shopNightlyReport');
    const cron = findObject(objects, 'CronJob', 'nightly-report');
    cron.spec.jobTemplate.spec.template.spec.securityContext = {};
    cron.spec.jobTemplate.spec.template.spec.containers[0].securityContext = {};
    const [o] = evaluateRule(containerRunAsNonRoot, snapshotOf(objects));
    expect(o.status).toBe('fail');
    expect(evidencePaths(o)).toEqual([
      'spec.jobTemplate.spec.template.spec.containers[0].securityContext.runAsNonRoot',
      'spec.jobTemplate.spec.template.spec.containers[0].securityContext.runAsUser',
    ]);
  });

  it('leaves workloads in system namespaces out', () => {
    const objects = kubeFixtureObjects('legacyWeb');
    const copy = structuredClone(
      findObject(objects, 'Deployment', 'legacy-web'),
    );
    copy.metadata.namespace = 'kube-system';
    const outcomes = evaluateRule(
      containerRunAsNonRoot,
      snapshotOf([...objects, copy]),
    );
    expect(outcomes.map(o => `${o.ref.namespace}/${o.ref.name}`)).toEqual([
      'legacy/legacy-web',
    ]);
  });

  it('does not apply to Windows pods', () => {
    const objects = kubeFixtureObjects('legacyWeb');
    findObject(objects, 'Deployment', 'legacy-web').spec.template.spec.os = {
      name: 'windows',
    };
    const o = objectsOutcome(containerRunAsNonRoot, objects, 'legacy-web');
    expect(o.status).toBe('not-applicable');
  });
});

describe('container-no-privilege-escalation (PS-03)', () => {
  it('passes the storefront and fails containers that leave it unset', () => {
    const outcomes = evaluateFixtures(containerNoPrivilegeEscalation, [
      'shopStorefront',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics do not set allowPrivilegeEscalation: false (it defaults to true).',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
        value: undefined,
        expected: 'false',
      },
      {
        path: 'spec.template.spec.containers[1].securityContext.allowPrivilegeEscalation',
        value: undefined,
        expected: 'false',
      },
    ]);
  });

  it('fails an explicit true', () => {
    const objects = storefrontWith(spec => {
      spec.containers[0].securityContext.allowPrivilegeEscalation = true;
    });
    const o = objectsOutcome(
      containerNoPrivilegeEscalation,
      objects,
      'storefront',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Container storefront does not set/);
    expect(o.evidence![0].value).toBe(true);
  });
});

describe('container-read-only-root-filesystem (PS-04)', () => {
  it('passes the storefront, fails a writable root filesystem', () => {
    const objects = storefrontWith(spec => {
      spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    });
    const outcomes = evaluateRule(
      containerReadOnlyRootFilesystem,
      snapshotOf([...objects, ...kubeFixtureObjects('shopOrdersDb')]),
    );
    expect(outcomeFor(outcomes, 'orders-db').status).toBe('pass');
    const o = outcomeFor(outcomes, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Container storefront has a writable root filesystem: set readOnlyRootFilesystem: true and mount writable paths as emptyDir volumes.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
        value: false,
        expected: 'true (mount writable paths as emptyDir)',
      },
    ]);
  });
});

describe('container-drop-all-capabilities (PS-05)', () => {
  it('fails containers that keep the default capabilities', () => {
    const o = fixtureOutcome(
      containerDropAllCapabilities,
      ['legacyWeb'],
      'legacy-web',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics keep Linux capabilities: set capabilities.drop: [ALL] and add back at most NET_BIND_SERVICE.',
    );
    expect(evidencePaths(o)).toEqual([
      'spec.template.spec.containers[0].securityContext.capabilities.drop',
      'spec.template.spec.containers[1].securityContext.capabilities.drop',
    ]);
  });

  it('says that drop: [all] in lower case is refused by Pod Security restricted, not that capabilities are kept', () => {
    const o = outcomeFor(
      evaluateRule(
        containerDropAllCapabilities,
        snapshotOf(
          storefrontWith(spec => {
            spec.containers[0].securityContext.capabilities.drop = ['all'];
          }),
        ),
      ),
      'storefront',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Container storefront drops capabilities as "all" in lower case: Pod Security "restricted" accepts only ALL (upper case), so the pod is refused where restricted is enforced. Write capabilities.drop: [ALL].',
    );
    expect(o.message).not.toContain('keeps Linux capabilities');
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.capabilities.drop',
        value: ['all'],
        expected:
          '["ALL"]: Pod Security "restricted" accepts only ALL, in upper case',
      },
    ]);
  });

  it('allows adding back NET_BIND_SERVICE but not SYS_ADMIN', () => {
    const withAdd = (add: string[]) =>
      outcomeFor(
        evaluateRule(
          containerDropAllCapabilities,
          snapshotOf(
            storefrontWith(spec => {
              spec.containers[0].securityContext.capabilities.add = add;
            }),
          ),
        ),
        'storefront',
      );
    expect(withAdd(['NET_BIND_SERVICE']).status).toBe('pass');
    const o = withAdd(['NET_BIND_SERVICE', 'SYS_ADMIN']);
    expect(o.status).toBe('fail');
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.capabilities.add',
        value: ['NET_BIND_SERVICE', 'SYS_ADMIN'],
        expected: 'nothing, or only NET_BIND_SERVICE',
      },
    ]);
  });
});

describe('container-seccomp-profile (PS-06)', () => {
  it('accepts the pod-level RuntimeDefault (storefront, node agent) and fails none at all', () => {
    const outcomes = evaluateFixtures(containerSeccompProfile, [
      'shopStorefront',
      'nodeLogAgent',
      'legacyWeb',
    ]);
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    expect(outcomeFor(outcomes, 'node-log-agent').status).toBe('pass');
    const o = outcomeFor(outcomes, 'legacy-web');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      'Containers web, metrics run without a seccomp profile: set seccompProfile.type: RuntimeDefault in the pod securityContext.',
    );
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.seccompProfile.type',
        value: undefined,
        expected:
          'RuntimeDefault or Localhost (pod or container securityContext)',
      },
      {
        path: 'spec.template.spec.containers[1].securityContext.seccompProfile.type',
        value: undefined,
        expected:
          'RuntimeDefault or Localhost (pod or container securityContext)',
      },
    ]);
  });

  it('lets a container-level Unconfined override the pod and accepts Localhost', () => {
    const unconfined = storefrontWith(spec => {
      spec.containers[0].securityContext.seccompProfile = {
        type: 'Unconfined',
      };
    });
    const o = objectsOutcome(containerSeccompProfile, unconfined, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.seccompProfile.type',
        value: 'Unconfined',
        expected:
          'RuntimeDefault or Localhost (pod or container securityContext)',
      },
    ]);
    const localhost = storefrontWith(spec => {
      spec.securityContext.seccompProfile = {
        type: 'Localhost',
        localhostProfile: 'profiles/storefront.json',
      };
    });
    expect(
      objectsOutcome(containerSeccompProfile, localhost, 'storefront').status,
    ).toBe('pass');
  });
});

describe('container-not-privileged (PS-07)', () => {
  it('fails a privileged container; critical', () => {
    expect(containerNotPrivileged.severity).toBe('critical');
    const objects = storefrontWith(spec => {
      spec.containers[0].securityContext.privileged = true;
    });
    const outcomes = evaluateRule(
      containerNotPrivileged,
      snapshotOf([...objects, ...kubeFixtureObjects('nodeLogAgent')]),
    );
    expect(outcomeFor(outcomes, 'node-log-agent').status).toBe('pass');
    const o = outcomeFor(outcomes, 'storefront');
    expect(o.status).toBe('fail');
    expect(o.message).toMatch(/^Container storefront runs privileged:/);
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        value: true,
        expected: 'false or unset',
      },
    ]);
  });
  it('fails Windows HostProcess containers, set on the container or inherited from the pod', () => {
    const pod = (podContext: any, container: any): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'agent', namespace: 'shop' },
      spec: {
        securityContext: podContext,
        nodeSelector: { 'kubernetes.io/os': 'windows' },
        containers: [
          {
            name: 'agent',
            image: 'contoso.azurecr.io/agent:1.0',
            securityContext: container,
          },
        ],
      },
    });
    const hostProcess = { windowsOptions: { hostProcess: true } };
    const inherited = outcomeFor(
      evaluateRule(containerNotPrivileged, snapshotOf([pod(hostProcess, {})])),
      'agent',
    );
    expect(inherited.status).toBe('fail');
    expect(inherited.message).toMatch(
      /^Container agent runs privileged or as a Windows HostProcess container:/,
    );
    expect(inherited.evidence).toEqual([
      {
        path: 'spec.securityContext.windowsOptions.hostProcess',
        value: true,
        expected: 'false or unset',
      },
    ]);
    const own = outcomeFor(
      evaluateRule(containerNotPrivileged, snapshotOf([pod({}, hostProcess)])),
      'agent',
    );
    expect(evidencePaths(own)).toEqual([
      'spec.containers[0].securityContext.windowsOptions.hostProcess',
    ]);
    const windowsOnly = outcomeFor(
      evaluateRule(
        containerNotPrivileged,
        snapshotOf([
          pod({ windowsOptions: { runAsUserName: 'ContainerUser' } }, {}),
        ]),
      ),
      'agent',
    );
    expect(windowsOnly.status).toBe('pass');
  });
});

describe('pod-no-host-namespaces-or-paths (PS-07)', () => {
  it('fails the log agent for its hostPath volume', () => {
    const o = fixtureOutcome(
      podNoHostAccess,
      ['nodeLogAgent'],
      'node-log-agent',
    );
    expect(o.status).toBe('fail');
    expect(o.message).toBe('Pod uses hostPath volume varlog (/var/log).');
    expect(o.evidence).toEqual([
      {
        path: 'spec.template.spec.volumes[0].hostPath',
        value: { path: '/var/log', type: '' },
        expected: 'no hostPath volume (use emptyDir, a ConfigMap or a PVC)',
      },
    ]);
  });

  it('fails host namespaces on a bare pod, with pod-level paths', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'shop' },
      spec: {
        hostNetwork: true,
        hostPID: true,
        containers: [
          { name: 'shell', image: 'contoso.azurecr.io/tools/netshoot:0.13' },
        ],
      },
    };
    const outcomes = evaluateRule(
      podNoHostAccess,
      snapshotOf([pod, ...kubeFixtureObjects('shopStorefront')]),
    );
    expect(outcomeFor(outcomes, 'storefront').status).toBe('pass');
    const o = outcomeFor(outcomes, 'debug');
    expect(o.status).toBe('fail');
    expect(o.message).toBe(
      "Pod uses the node's network namespace (hostNetwork), the node's process namespace (hostPID).",
    );
    expect(evidencePaths(o)).toEqual(['spec.hostNetwork', 'spec.hostPID']);
  });
});
