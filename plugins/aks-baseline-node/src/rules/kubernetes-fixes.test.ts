/*
 * Every Kubernetes rule's fix, applied to the object as read, makes its
 * finding go away: patches through the JSON Patch applier, new objects
 * added to the snapshot. Fixes with values to fill in are filled in first
 * (and must not apply as they are).
 */
import {
  FixSuggestion,
  isSafeFix,
} from '@aks-baseline/plugin-aks-baseline-common';
import { KubeObject } from '../engine/types';
import { RuleDefinition } from '../engine/rule';
import { applyJsonPatch } from '../fix/json-patch';
import {
  deployment,
  evaluateRule,
  EvaluateRuleOptions,
  kubeObject,
  makeSnapshot,
  namespaceObject,
  outcomeFor,
} from '../testUtils';
import { namespaceDefaultDenyIngress } from './networking/network-policies';
import { serviceInternalLoadBalancer } from './networking/services';
import { namespacePodSecurityLabels } from './pod-security/namespace-labels';
import { containerNotPrivileged } from './pod-security/host-access';
import {
  containerDropAllCapabilities,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFilesystem,
  containerRunAsNonRoot,
  containerSeccompProfile,
} from './pod-security/security-context';
import {
  containerResourceLimits,
  containerResourceRequests,
} from './resources/container-resources';
import {
  namespaceLimitRange,
  namespaceResourceQuota,
} from './resources/namespace-limits';
import { workloadAutoscaler } from './resources/autoscaling';
import {
  containerLivenessProbe,
  containerReadinessProbe,
} from './availability/probes';
import {
  podDisruptionBudgetAllowsEvictions,
  workloadMinReplicas,
  workloadPodDisruptionBudget,
  workloadTopologySpread,
} from './availability/replicas';
import {
  containerImagePinned,
  containerImagePullPolicy,
} from './images/pinning';

const sameObject = (
  a: KubeObject,
  target: { kind: string; name: string; namespace?: string },
) =>
  a.kind === target.kind &&
  a.metadata.name === target.name &&
  (a.metadata.namespace ?? undefined) === (target.namespace ?? undefined);

/** Each `<...>` placeholder replaced by what `fill` gives for it. */
function fillIn(value: unknown, fill: (placeholder: string) => unknown): any {
  if (typeof value === 'string' && /^<.*>$/.test(value)) return fill(value);
  if (typeof value === 'string' && value.includes('@<')) {
    return value.replace(/@<[^>]*>/, `@sha256:${'a'.repeat(64)}`);
  }
  if (Array.isArray(value)) return value.map(v => fillIn(v, fill));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, fillIn(v, fill)]),
    );
  }
  return value;
}

/** The objects after the fix: the target patched, or the new object added. */
function applyFix(objects: KubeObject[], fix: FixSuggestion): KubeObject[] {
  if (fix.kind === 'create') return [...objects, fix.object as KubeObject];
  if (fix.kind !== 'patch' || fix.format !== 'json-patch') {
    throw new Error(`not a JSON Patch or new object: ${JSON.stringify(fix)}`);
  }
  const target = objects.find(o => sameObject(o, fix.target));
  if (!target) throw new Error(`no target ${JSON.stringify(fix.target)}`);
  return objects.map(o =>
    o === target ? applyJsonPatch(o, fix.operations) : o,
  );
}

interface Case {
  rule: RuleDefinition;
  objects: KubeObject[];
  subject: string;
  namespace?: string;
  options?: EvaluateRuleOptions;
  /** The fix needs values from the team: how to fill its placeholders. */
  fill?: (placeholder: string) => unknown;
}

function fixOf(c: Case) {
  const outcome = outcomeFor(
    evaluateRule(c.rule, makeSnapshot({ objects: c.objects }), c.options),
    c.subject,
    c.namespace,
  );
  expect(outcome.status).toBe('fail');
  expect(outcome.fix).toBeDefined();
  return outcome.fix!;
}

function statusAfter(c: Case, objects: KubeObject[]) {
  return outcomeFor(
    evaluateRule(c.rule, makeSnapshot({ objects }), c.options),
    c.subject,
    c.namespace,
  ).status;
}

const pod = (containers: object[], extra: object = {}) => ({
  containers,
  ...extra,
});
const bare = (name: string, extra: object = {}) => ({
  name,
  image: `contoso.azurecr.io/${name}:1.2.3`,
  ...extra,
});

const SAFE: [string, Case][] = [
  [
    'container-run-as-non-root: both fields of one missing securityContext, and a pod-level false',
    {
      rule: containerRunAsNonRoot,
      objects: [
        deployment(
          'web',
          'shop',
          pod(
            [bare('app'), bare('side', { securityContext: { runAsUser: 0 } })],
            {
              securityContext: { runAsNonRoot: false },
            },
          ),
        ),
      ],
      subject: 'web',
    },
  ],
  [
    'container-no-privilege-escalation',
    {
      rule: containerNoPrivilegeEscalation,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app')], { initContainers: [bare('init')] }),
        ),
      ],
      subject: 'web',
    },
  ],
  [
    'container-drop-all-capabilities: drop only',
    {
      rule: containerDropAllCapabilities,
      objects: [
        deployment(
          'web',
          'shop',
          pod([
            bare('app', {
              securityContext: { capabilities: { drop: ['all'] } },
            }),
            bare('b'),
          ]),
        ),
      ],
      subject: 'web',
    },
  ],
  [
    'container-seccomp-profile: pod-level Unconfined and a container without',
    {
      rule: containerSeccompProfile,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app')], {
            securityContext: { seccompProfile: { type: 'Unconfined' } },
          }),
        ),
      ],
      subject: 'web',
    },
  ],
  [
    'namespace-pod-security-labels: production, one weak label and two missing',
    {
      rule: namespacePodSecurityLabels,
      objects: [
        namespaceObject('shop', {
          environment: 'production',
          'pod-security.kubernetes.io/enforce': 'baseline',
        }),
      ],
      subject: 'shop',
    },
  ],
  [
    'namespace-pod-security-labels: a namespace without labels',
    {
      rule: namespacePodSecurityLabels,
      objects: [kubeObject('Namespace', 'shop')],
      subject: 'shop',
    },
  ],
  [
    'namespace-default-deny-ingress: no Service in the namespace',
    {
      rule: namespaceDefaultDenyIngress,
      objects: [namespaceObject('shop'), deployment('web', 'shop')],
      subject: 'shop',
    },
  ],
  [
    'namespace-limit-range: none there',
    {
      rule: namespaceLimitRange,
      objects: [namespaceObject('shop')],
      subject: 'shop',
    },
  ],
  [
    'container-image-pull-policy-if-not-present: policy only',
    {
      rule: containerImagePullPolicy,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app', { imagePullPolicy: 'Always' })]),
        ),
      ],
      subject: 'web',
      options: { profile: 'production' },
    },
  ],
  [
    'workload-pod-disruption-budget: none selects the pods',
    {
      rule: workloadPodDisruptionBudget,
      objects: [deployment('web', 'shop', undefined, { replicas: 6 })],
      subject: 'web',
    },
  ],
  [
    'workload-pod-disruption-budget: one blocks every eviction',
    {
      rule: workloadPodDisruptionBudget,
      objects: [
        deployment('web', 'shop', undefined, { replicas: 3 }),
        kubeObject('PodDisruptionBudget', 'web', 'shop', {
          minAvailable: 3,
          selector: { matchLabels: { app: 'web' } },
        }),
      ],
      subject: 'web',
    },
  ],
  [
    'pdb-allows-evictions',
    {
      rule: podDisruptionBudgetAllowsEvictions,
      objects: [
        kubeObject('PodDisruptionBudget', 'db', 'shop', {
          maxUnavailable: 0,
          selector: { matchLabels: { app: 'db' } },
        }),
      ],
      subject: 'db',
    },
  ],
  [
    'workload-zone-and-host-spread: a zone constraint there, the host one missing',
    {
      rule: workloadTopologySpread,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app')], {
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: { app: 'web' } },
              },
            ],
          }),
        ),
      ],
      subject: 'web',
    },
  ],
  [
    'workload-zone-and-host-spread: neither',
    {
      rule: workloadTopologySpread,
      objects: [deployment('web', 'shop')],
      subject: 'web',
    },
  ],
];

const TO_ADAPT: [string, Case][] = [
  [
    'container-read-only-root-filesystem',
    {
      rule: containerReadOnlyRootFilesystem,
      objects: [deployment('web', 'shop', pod([bare('app')]))],
      subject: 'web',
      fill: () => undefined,
    },
  ],
  [
    'container-drop-all-capabilities: an added capability',
    {
      rule: containerDropAllCapabilities,
      objects: [
        deployment(
          'web',
          'shop',
          pod([
            bare('app', {
              securityContext: {
                capabilities: { add: ['NET_ADMIN', 'NET_BIND_SERVICE'] },
              },
            }),
          ]),
        ),
      ],
      subject: 'web',
      fill: () => undefined,
    },
  ],
  [
    'container-not-privileged',
    {
      rule: containerNotPrivileged,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app', { securityContext: { privileged: true } })]),
        ),
      ],
      subject: 'web',
      fill: () => undefined,
    },
  ],
  [
    'container-resource-requests',
    {
      rule: containerResourceRequests,
      objects: [
        deployment(
          'web',
          'shop',
          pod([
            bare('app', { resources: { requests: { cpu: '50m' } } }),
            bare('b'),
          ]),
        ),
      ],
      subject: 'web',
      fill: p => (p.startsWith('<cpu') ? '100m' : '128Mi'),
    },
  ],
  [
    'container-resource-limits',
    {
      rule: containerResourceLimits,
      objects: [deployment('web', 'shop', pod([bare('app')]))],
      subject: 'web',
      fill: () => '256Mi',
    },
  ],
  [
    'container-liveness-probe: the port read from the container',
    {
      rule: containerLivenessProbe,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app', { ports: [{ containerPort: 8080 }] })]),
        ),
      ],
      subject: 'web',
      fill: () => '/healthz',
    },
  ],
  [
    'container-readiness-probe',
    {
      rule: containerReadinessProbe,
      objects: [
        deployment('web', 'shop', pod([bare('app')])),
        kubeObject('Service', 'web', 'shop', {
          selector: { app: 'web' },
          ports: [{ port: 80 }],
        }),
      ],
      subject: 'web',
      fill: p => (p.includes('port') ? 8080 : '/ready'),
    },
  ],
  [
    'container-image-pinned',
    {
      rule: containerImagePinned,
      objects: [
        deployment(
          'web',
          'shop',
          pod([{ name: 'app', image: 'contoso.azurecr.io/web:latest' }]),
        ),
      ],
      subject: 'web',
      fill: () => undefined,
    },
  ],
  [
    'container-image-pull-policy-if-not-present: an unpinned image too',
    {
      rule: containerImagePullPolicy,
      objects: [
        deployment('web', 'shop', pod([{ name: 'app', image: 'nginx' }])),
      ],
      subject: 'web',
      options: { profile: 'production' },
      fill: () => undefined,
    },
  ],
  [
    'service-internal-load-balancer',
    {
      rule: serviceInternalLoadBalancer,
      objects: [
        kubeObject('Service', 'web', 'shop', {
          type: 'LoadBalancer',
          ports: [{ port: 80 }],
        }),
      ],
      subject: 'web',
      fill: () => undefined,
    },
  ],
  [
    'namespace-default-deny-ingress: a Service would be cut off',
    {
      rule: namespaceDefaultDenyIngress,
      objects: [
        namespaceObject('shop'),
        kubeObject('Service', 'web', 'shop', { selector: { app: 'web' } }),
      ],
      subject: 'shop',
      fill: () => undefined,
    },
  ],
  [
    'namespace-resource-quota',
    {
      rule: namespaceResourceQuota,
      objects: [namespaceObject('shop')],
      subject: 'shop',
      fill: () => undefined,
    },
  ],
  [
    'namespace-limit-range: one there already',
    {
      rule: namespaceLimitRange,
      objects: [
        namespaceObject('shop'),
        kubeObject('LimitRange', 'partial', 'shop', {
          limits: [{ type: 'Container', max: { cpu: '2' } }],
        }),
      ],
      subject: 'shop',
      fill: () => undefined,
    },
  ],
  [
    'workload-min-replicas',
    {
      rule: workloadMinReplicas,
      objects: [deployment('web', 'shop', undefined, { replicas: 1 })],
      subject: 'web',
      options: { profile: 'production' },
      fill: () => undefined,
    },
  ],
  [
    'workload-has-autoscaler',
    {
      rule: workloadAutoscaler,
      objects: [
        deployment(
          'web',
          'shop',
          pod([bare('app', { resources: { requests: { cpu: '100m' } } })]),
          { replicas: 2 },
        ),
      ],
      subject: 'web',
      fill: () => 10,
    },
  ],
];

describe('Kubernetes fixes', () => {
  it.each(SAFE)('%s: applied, the finding goes away', (_, c) => {
    const fix = fixOf(c);
    expect(isSafeFix(fix)).toBe(true);
    // The YAML shown is filled in when the fix is served.
    expect((fix as { yaml?: string }).yaml).toMatch(/\S/);
    // No finding left: it passes, or (pdb-allows-evictions) the rule no
    // longer applies to a budget that allows evictions.
    expect(['pass', 'not-applicable']).toContain(
      statusAfter(c, applyFix(c.objects, fix)),
    );
  });

  it.each(TO_ADAPT)(
    '%s: an example to adapt, which once filled in fixes the finding',
    (_, c) => {
      const fix = fixOf(c);
      expect(fix.kind === 'patch' || fix.kind === 'create').toBe(true);
      expect(isSafeFix(fix)).toBe(false);
      expect((fix as { adapt?: string }).adapt).toMatch(/\S/);
      const filled = fillIn(fix, c.fill!) as FixSuggestion;
      expect(statusAfter(c, applyFix(c.objects, filled))).toBe('pass');
    },
  );

  it('marks what the team fills in with <...> in the patch and its YAML', () => {
    const fix = fixOf(
      TO_ADAPT.find(([n]) => n === 'container-resource-requests')![1],
    );
    expect(fix).toMatchObject({ kind: 'patch', format: 'json-patch' });
    expect((fix as { yaml: string }).yaml).toBe(
      [
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          resources:',
        '            requests:',
        '              memory: <memory request from observed usage, e.g. 256Mi>',
        '        - name: b',
        '          resources:',
        '            requests:',
        '              cpu: <cpu request from observed usage, e.g. 200m>',
        '              memory: <memory request from observed usage, e.g. 256Mi>',
        '',
      ].join('\n'),
    );
  });

  it('sizes a new PodDisruptionBudget from the replicas and selects the pods', () => {
    const fix = fixOf(
      SAFE.find(([n]) =>
        n.startsWith('workload-pod-disruption-budget: none'),
      )![1],
    );
    expect(fix).toMatchObject({
      kind: 'create',
      besides: { kind: 'Deployment', name: 'web', namespace: 'shop' },
      object: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web-pdb', namespace: 'shop' },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
      },
    });
  });

  it('names a new object so that it never replaces one of that name', () => {
    const fix = fixOf({
      rule: workloadPodDisruptionBudget,
      objects: [
        deployment('web', 'shop', undefined, { replicas: 6 }),
        kubeObject('PodDisruptionBudget', 'web-pdb', 'shop', {
          maxUnavailable: 1,
          selector: { matchLabels: { app: 'other' } },
        }),
      ],
      subject: 'web',
    });
    expect(fix).toMatchObject({
      kind: 'create',
      object: { metadata: { name: 'web-pdb-2', namespace: 'shop' } },
    });
  });
});
