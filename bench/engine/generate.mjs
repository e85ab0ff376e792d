/*
 * Deterministic generator of a realistic cluster dump for the engine
 * benchmark: objects shaped like `kubectl get -A -o json` prints them
 * (server-set metadata, defaulted pod-spec fields, status), spread over
 * about 25 namespaces, with a mix of compliant, typical and legacy
 * workloads. Same seed and count, same objects, byte for byte.
 *
 * Kinds: Namespace, Deployment, StatefulSet, DaemonSet, Service,
 * NetworkPolicy, PodDisruptionBudget, HorizontalPodAutoscaler.
 *
 * Usage as a module: `generateObjects(n, { seed, lastApplied })` returns an
 * array of exactly `n` objects. As a script it prints a `kind: List` JSON
 * document: `node bench/engine/generate.mjs 1000 > dump.json`.
 */

/** mulberry32: small, fast, good enough for picking shapes. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = [
  ['payments', 'production', 'payments-team'],
  ['orders', 'production', 'shop-team'],
  ['catalog', 'production', 'shop-team'],
  ['checkout', 'production', 'shop-team'],
  ['search', 'production', 'discovery-team'],
  ['recommendations', 'production', 'discovery-team'],
  ['identity', 'production', 'platform-team'],
  ['notifications', 'production', 'messaging-team'],
  ['messaging', 'production', 'messaging-team'],
  ['billing', 'production', 'payments-team'],
  ['inventory', 'production', 'supply-team'],
  ['shipping', 'production', 'supply-team'],
  ['customer-portal', 'production', 'web-team'],
  ['partner-api', 'production', 'integration-team'],
  ['media', 'production', 'content-team'],
  ['analytics', 'staging', 'data-team'],
  ['reporting', 'production', 'data-team'],
  ['data-pipeline', 'production', 'data-team'],
  ['ml-serving', 'production', 'ml-team'],
  ['backoffice', 'staging', 'ops-team'],
  ['marketing', 'development', 'growth-team'],
  ['support', 'production', 'support-team'],
  ['observability', 'production', 'platform-team'],
  ['ingress-nginx', 'production', 'platform-team'],
  ['kube-system', undefined, undefined],
];

const APP_WORDS = [
  'api',
  'worker',
  'web',
  'gateway',
  'scheduler',
  'consumer',
  'indexer',
  'cache',
  'sync',
  'exporter',
  'router',
  'renderer',
  'publisher',
  'auth',
  'ledger',
  'events',
  'reconciler',
  'notifier',
  'uploader',
  'resizer',
];
const STATEFUL_WORDS = [
  'db',
  'redis',
  'kafka',
  'elasticsearch',
  'zookeeper',
  'rabbitmq',
];
const DAEMON_WORDS = ['log-agent', 'node-exporter', 'csi-node', 'dns-cache'];
const SIDECARS = [
  ['fluent-bit', 'contoso.azurecr.io/platform/fluent-bit:3.0.7'],
  ['envoy', 'contoso.azurecr.io/platform/envoy:v1.30.2'],
  ['otel-collector', 'contoso.azurecr.io/platform/otel-collector:0.102.1'],
];
const PUBLIC_IMAGES = [
  'docker.io/library/nginx:latest',
  'nginx:1.25',
  'redis:7',
  'bitnami/kafka:latest',
  'ghcr.io/acme/legacy-app:main',
  'quay.io/prometheus/node-exporter:v1.8.1',
];

const BASE_TIME = Date.UTC(2025, 5, 1, 8, 0, 0);

/**
 * @param {number} count exact number of objects to return
 * @param {{ seed?: number, lastApplied?: number, compliant?: number, legacy?: number }} [options]
 *   lastApplied: share of workloads deployed with `kubectl apply` (they carry
 *   the `kubectl.kubernetes.io/last-applied-configuration` annotation);
 *   the others are Helm releases. Default 0.3.
 *   compliant / legacy: shares of compliant workloads (default 0.45) and of
 *   legacy ones with many findings (default 0.2); the rest are typical.
 */
export function generateObjects(count, options = {}) {
  const random = rng(options.seed ?? 42);
  const lastAppliedShare = options.lastApplied ?? 0.3;
  const compliantShare = options.compliant ?? 0.45;
  const legacyShare = options.legacy ?? 0.2;
  // P(typical | not compliant), so that the three shares add up.
  const typicalGivenNot =
    options.compliant === undefined && options.legacy === undefined
      ? 0.64 // the defaults (as first published: same objects for a seed)
      : compliantShare >= 1
      ? 0
      : Math.max(0, 1 - legacyShare / (1 - compliantShare));
  const pick = list => list[Math.floor(random() * list.length)];
  const chance = p => random() < p;
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const hex = n => {
    let s = '';
    while (s.length < n)
      s += Math.floor(random() * 0x100000000)
        .toString(16)
        .padStart(8, '0');
    return s.slice(0, n);
  };
  const uid = () => {
    const h = hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
      17,
      20,
    )}-${h.slice(20, 32)}`;
  };
  const time = (minDays, maxDays) =>
    new Date(
      BASE_TIME +
        Math.floor((minDays + random() * (maxDays - minDays)) * 86400000),
    )
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const resourceVersion = () => String(int(1000, 98000000));
  const podHash = () => hex(10).replace(/[^a-z0-9]/g, 'b');

  const out = [];
  const push = object => {
    if (out.length < count) out.push(object);
    return out.length < count;
  };

  // --- namespaces -------------------------------------------------------
  const nsState = NAMESPACES.map(([name, env, team]) => ({
    name,
    env,
    team,
    system: name === 'kube-system',
    created: time(-400, -200),
    apps: 0,
  }));
  for (const ns of nsState) {
    const labels = { 'kubernetes.io/metadata.name': ns.name };
    if (ns.env) labels.environment = ns.env;
    if (ns.team) labels.team = ns.team;
    // PSS labels: most namespaces enforce, some only warn, a few nothing.
    const pss = ns.system
      ? 'privileged'
      : ns.env === 'production' && chance(0.7)
      ? 'restricted'
      : 'baseline';
    if (!ns.system && chance(0.85)) {
      labels['pod-security.kubernetes.io/enforce'] = pss;
      labels['pod-security.kubernetes.io/enforce-version'] = 'latest';
      labels['pod-security.kubernetes.io/warn'] = 'restricted';
      labels['pod-security.kubernetes.io/audit'] = 'restricted';
    }
    const metadata = {
      creationTimestamp: ns.created,
      labels,
      name: ns.name,
      resourceVersion: resourceVersion(),
      uid: uid(),
    };
    if (ns.team)
      metadata.annotations = {
        'aks-baseline.io/owner': `group:default/${ns.team}`,
      };
    if (
      !push({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata,
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      })
    )
      return out;
  }
  // Default-deny ingress in most namespaces.
  for (const ns of nsState) {
    if (ns.system || !chance(0.8)) continue;
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        creationTimestamp: time(-200, -150),
        generation: 1,
        labels: {
          'app.kubernetes.io/managed-by': 'Helm',
          'app.kubernetes.io/part-of': 'platform-baseline',
        },
        annotations: {
          'meta.helm.sh/release-name': 'namespace-baseline',
          'meta.helm.sh/release-namespace': ns.name,
        },
        name: 'default-deny-ingress',
        namespace: ns.name,
        resourceVersion: resourceVersion(),
        uid: uid(),
      },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    if (!push(policy)) return out;
  }

  // --- applications, round-robin over the namespaces -------------------
  const appNamespaces = nsState.filter(ns => !ns.system);
  const kubeSystem = nsState.find(ns => ns.system);
  let appIndex = 0;
  while (out.length < count) {
    // About one object in a hundred lives in kube-system (excluded by default).
    const ns =
      appIndex % 97 === 96
        ? kubeSystem
        : appNamespaces[appIndex % appNamespaces.length];
    appIndex++;
    ns.apps++;
    const roll = random();
    const kind = ns.system
      ? chance(0.6)
        ? 'DaemonSet'
        : 'Deployment'
      : roll < 0.83
      ? 'Deployment'
      : roll < 0.95
      ? 'StatefulSet'
      : 'DaemonSet';
    const base =
      kind === 'StatefulSet'
        ? pick(STATEFUL_WORDS)
        : kind === 'DaemonSet'
        ? pick(DAEMON_WORDS)
        : `${pick(APP_WORDS)}`;
    const name = `${ns.name.split('-')[0]}-${base}-${ns.apps}`;
    // compliant 45%, typical 35% (a few gaps), legacy 20% (many findings)
    const grade = ns.system
      ? 'system'
      : chance(compliantShare)
      ? 'compliant'
      : chance(typicalGivenNot)
      ? 'typical'
      : 'legacy';
    const helm = !chance(lastAppliedShare);
    const version = `${int(1, 4)}.${int(0, 20)}.${int(0, 9)}`;
    const created = time(-180, -1);
    const replicas =
      kind === 'DaemonSet'
        ? undefined
        : grade === 'legacy'
        ? pick([1, 1, 2])
        : pick([2, 3, 3, 4, 6]);
    const selectorLabels = {
      'app.kubernetes.io/name': name,
      'app.kubernetes.io/instance': name,
    };
    const labels = {
      ...selectorLabels,
      'app.kubernetes.io/part-of': ns.name,
      'app.kubernetes.io/version': version,
      'backstage.io/kubernetes-id': name,
    };
    if (helm) {
      labels['app.kubernetes.io/managed-by'] = 'Helm';
      labels['helm.sh/chart'] = `${base}-${version}`;
    }
    const podLabels = {
      ...selectorLabels,
      'app.kubernetes.io/part-of': ns.name,
      'backstage.io/kubernetes-id': name,
    };

    const ports =
      kind === 'StatefulSet'
        ? [
            {
              containerPort: pick([5432, 6379, 9092, 9200]),
              name: 'tcp',
              protocol: 'TCP',
            },
          ]
        : [
            { containerPort: 8080, name: 'http', protocol: 'TCP' },
            { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
          ];
    const image =
      grade === 'legacy' && chance(0.6)
        ? pick(PUBLIC_IMAGES)
        : grade === 'system'
        ? `mcr.microsoft.com/oss/kubernetes/${base}:v${version}`
        : `contoso.azurecr.io/${ns.name}/${base}:${version}`;
    const main = container(name, image, grade, ports, kind);
    const containers = [main];
    if (grade !== 'system' && chance(0.3)) {
      const [sName, sImage] = pick(SIDECARS);
      containers.push(
        container(
          sName,
          sImage,
          grade === 'legacy' ? 'typical' : grade,
          [{ containerPort: 15090, name: 'sidecar-metrics', protocol: 'TCP' }],
          'sidecar',
        ),
      );
    }
    const podSpec = {
      containers,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      serviceAccount: grade === 'compliant' ? name : 'default',
      serviceAccountName: grade === 'compliant' ? name : 'default',
      terminationGracePeriodSeconds: 30,
    };
    if (grade !== 'system' && chance(0.2)) {
      podSpec.initContainers = [
        container(
          'wait-for-deps',
          `contoso.azurecr.io/platform/wait-for:1.${int(0, 5)}.0`,
          grade === 'legacy' ? 'typical' : grade,
          [],
          'init',
        ),
      ];
    }
    if (grade === 'compliant' || (grade === 'typical' && chance(0.6))) {
      podSpec.securityContext = {
        fsGroup: 10001,
        runAsGroup: 10001,
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      };
    }
    if (grade === 'system') {
      podSpec.priorityClassName = 'system-node-critical';
      podSpec.hostNetwork = kind === 'DaemonSet';
      podSpec.tolerations = [
        { key: 'CriticalAddonsOnly', operator: 'Exists' },
        { effect: 'NoExecute', operator: 'Exists' },
      ];
    }
    if (grade === 'legacy' && kind === 'DaemonSet' && chance(0.5)) {
      podSpec.volumes = [
        { hostPath: { path: '/var/log', type: '' }, name: 'varlog' },
      ];
      main.volumeMounts = [
        { mountPath: '/var/log', name: 'varlog', readOnly: true },
      ];
    } else {
      podSpec.volumes = [{ emptyDir: {}, name: 'tmp' }];
      if (chance(0.4))
        podSpec.volumes.push({
          configMap: { defaultMode: 420, name: `${name}-config` },
          name: 'config',
        });
      if (chance(0.3))
        podSpec.volumes.push({
          name: 'secrets-store',
          csi: {
            driver: 'secrets-store.csi.k8s.io',
            readOnly: true,
            volumeAttributes: { secretProviderClass: `${name}-kv` },
          },
        });
    }
    if (kind !== 'DaemonSet' && (grade === 'compliant' || chance(0.3))) {
      podSpec.topologySpreadConstraints = [
        {
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
        },
        {
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
        },
      ];
    } else if (kind !== 'DaemonSet' && chance(0.4)) {
      podSpec.affinity = {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              podAffinityTerm: {
                labelSelector: {
                  matchLabels: { 'app.kubernetes.io/name': name },
                },
                topologyKey: 'kubernetes.io/hostname',
              },
              weight: 100,
            },
          ],
        },
      };
    }
    if (chance(0.15)) podSpec.nodeSelector = { 'kubernetes.io/os': 'linux' };

    const annotations = {};
    if (kind === 'Deployment')
      annotations['deployment.kubernetes.io/revision'] = String(int(1, 40));
    if (helm) {
      annotations['meta.helm.sh/release-name'] = name;
      annotations['meta.helm.sh/release-namespace'] = ns.name;
    }
    const spec = {
      replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: selectorLabels },
      template: {
        metadata: { creationTimestamp: null, labels: podLabels },
        spec: podSpec,
      },
    };
    if (chance(0.25))
      spec.template.metadata.annotations = {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
        'kubectl.kubernetes.io/restartedAt': time(-30, -1),
      };
    if (kind === 'Deployment') {
      spec.progressDeadlineSeconds = 600;
      spec.strategy = {
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        type: 'RollingUpdate',
      };
    } else if (kind === 'StatefulSet') {
      spec.podManagementPolicy = 'OrderedReady';
      spec.persistentVolumeClaimRetentionPolicy = {
        whenDeleted: 'Retain',
        whenScaled: 'Retain',
      };
      spec.serviceName = `${name}-headless`;
      spec.updateStrategy = {
        rollingUpdate: { partition: 0 },
        type: 'RollingUpdate',
      };
      spec.volumeClaimTemplates = [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { creationTimestamp: null, name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: {
              requests: { storage: `${pick([8, 16, 32, 64, 128])}Gi` },
            },
            storageClassName: 'managed-csi-premium',
            volumeMode: 'Filesystem',
          },
          status: { phase: 'Pending' },
        },
      ];
    } else {
      delete spec.replicas;
      spec.updateStrategy = {
        rollingUpdate: { maxSurge: 0, maxUnavailable: 1 },
        type: 'RollingUpdate',
      };
    }
    const generation = int(1, 30);
    const metadata = {
      annotations,
      creationTimestamp: created,
      generation,
      labels,
      name,
      namespace: ns.name,
      resourceVersion: resourceVersion(),
      uid: uid(),
    };
    const apiVersion = 'apps/v1';
    if (!helm) {
      // What `kubectl apply` stores: the manifest as written, no defaults.
      annotations['kubectl.kubernetes.io/last-applied-configuration'] =
        JSON.stringify({
          apiVersion,
          kind,
          metadata: { annotations: {}, labels, name, namespace: ns.name },
          spec: {
            replicas,
            selector: spec.selector,
            template: {
              metadata: { labels: podLabels },
              spec: {
                containers: containers.map(c => ({
                  name: c.name,
                  image: c.image,
                  ports: c.ports,
                  env: c.env,
                  resources: c.resources,
                  securityContext: c.securityContext,
                  livenessProbe: c.livenessProbe,
                  readinessProbe: c.readinessProbe,
                })),
                securityContext: podSpec.securityContext,
                serviceAccountName: podSpec.serviceAccountName,
                volumes: podSpec.volumes,
              },
            },
          },
        }) + '\n';
    }
    const status = workloadStatus(
      kind,
      replicas ?? int(3, 12),
      generation,
      grade,
      name,
      created,
    );
    if (!push({ apiVersion, kind, metadata, spec, status })) return out;

    // --- objects around the workload ----------------------------------
    const small = {
      labels: { ...selectorLabels, 'app.kubernetes.io/part-of': ns.name },
      namespace: ns.name,
    };
    const meta = (objName, extra) => ({
      ...(helm
        ? {
            annotations: {
              'meta.helm.sh/release-name': name,
              'meta.helm.sh/release-namespace': ns.name,
            },
          }
        : {}),
      creationTimestamp: created,
      ...extra,
      labels: small.labels,
      name: objName,
      namespace: ns.name,
      resourceVersion: resourceVersion(),
      uid: uid(),
    });
    if (kind !== 'DaemonSet' && chance(0.9)) {
      const headless = kind === 'StatefulSet';
      const lb = !headless && !ns.system && chance(0.04);
      const ip = headless ? 'None' : `10.0.${int(0, 255)}.${int(1, 254)}`;
      const svcMeta = meta(headless ? `${name}-headless` : name);
      if (lb && chance(0.7)) {
        svcMeta.annotations = {
          ...(svcMeta.annotations ?? {}),
          'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
        };
      }
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: svcMeta,
        spec: {
          clusterIP: ip,
          clusterIPs: [ip],
          internalTrafficPolicy: 'Cluster',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          ports: ports.map(p => ({
            name: p.name,
            port: p.name === 'http' ? 80 : p.containerPort,
            protocol: 'TCP',
            targetPort: p.name,
          })),
          selector: selectorLabels,
          sessionAffinity: 'None',
          type: lb ? 'LoadBalancer' : 'ClusterIP',
        },
        status: {
          loadBalancer: lb
            ? {
                ingress: [
                  { ip: `10.240.${int(0, 15)}.${int(4, 250)}`, ipMode: 'VIP' },
                ],
              }
            : {},
        },
      };
      if (lb) {
        service.spec.allocateLoadBalancerNodePorts = true;
        service.spec.externalTrafficPolicy = 'Cluster';
        for (const p of service.spec.ports) p.nodePort = int(30000, 32767);
      }
      if (!push(service)) return out;
    }
    if (
      kind !== 'DaemonSet' &&
      replicas > 1 &&
      (grade === 'compliant' || chance(0.4))
    ) {
      const pdb = {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: meta(name, { generation: 1 }),
        spec:
          grade === 'legacy' && chance(0.5)
            ? { maxUnavailable: 0, selector: { matchLabels: selectorLabels } }
            : { maxUnavailable: 1, selector: { matchLabels: selectorLabels } },
        status: {
          conditions: [
            {
              lastTransitionTime: created,
              message: '',
              observedGeneration: 1,
              reason: 'SufficientPods',
              status: 'True',
              type: 'DisruptionAllowed',
            },
          ],
          currentHealthy: replicas,
          desiredHealthy: replicas - 1,
          disruptionsAllowed: 1,
          expectedPods: replicas,
          observedGeneration: 1,
        },
      };
      if (!push(pdb)) return out;
    }
    if (
      kind === 'Deployment' &&
      !ns.system &&
      (grade === 'compliant' ? chance(0.8) : chance(0.3))
    ) {
      const current = replicas;
      const hpa = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: meta(name),
        spec: {
          maxReplicas: Math.max(current * 3, 6),
          metrics: [
            {
              resource: {
                name: 'cpu',
                target: { averageUtilization: 70, type: 'Utilization' },
              },
              type: 'Resource',
            },
            ...(chance(0.4)
              ? [
                  {
                    resource: {
                      name: 'memory',
                      target: { averageUtilization: 80, type: 'Utilization' },
                    },
                    type: 'Resource',
                  },
                ]
              : []),
          ],
          minReplicas: current,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        },
        status: {
          conditions: [
            {
              lastTransitionTime: created,
              message: 'recommended size matches current size',
              reason: 'ReadyForNewScale',
              status: 'True',
              type: 'AbleToScale',
            },
            {
              lastTransitionTime: created,
              message:
                'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
              reason: 'ValidMetricFound',
              status: 'True',
              type: 'ScalingActive',
            },
            {
              lastTransitionTime: created,
              message: 'the desired count is within the acceptable range',
              reason: 'DesiredWithinRange',
              status: 'False',
              type: 'ScalingLimited',
            },
          ],
          currentMetrics: [
            {
              resource: {
                current: {
                  averageUtilization: int(5, 95),
                  averageValue: `${int(5, 400)}m`,
                },
                name: 'cpu',
              },
              type: 'Resource',
            },
          ],
          currentReplicas: current,
          desiredReplicas: current,
          lastScaleTime: time(-10, -1),
        },
      };
      if (!push(hpa)) return out;
    }
    if (!ns.system && (grade === 'compliant' ? chance(0.7) : chance(0.25))) {
      const policy = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: meta(`${name}-allow`, { generation: 1 }),
        spec: {
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: {
                      'kubernetes.io/metadata.name': 'ingress-nginx',
                    },
                  },
                },
                {
                  podSelector: {
                    matchLabels: { 'app.kubernetes.io/part-of': ns.name },
                  },
                },
              ],
              ports: ports.map(p => ({
                port: p.containerPort,
                protocol: 'TCP',
              })),
            },
          ],
          podSelector: { matchLabels: selectorLabels },
          policyTypes: ['Ingress'],
        },
      };
      if (!push(policy)) return out;
    }
  }
  return out;

  function container(cName, image, grade, ports, role) {
    const c = {
      image,
      imagePullPolicy: image.endsWith(':latest') ? 'Always' : 'IfNotPresent',
      name: cName,
      ports,
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    };
    const env = [
      { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' },
      {
        name: 'POD_NAME',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
        },
      },
      {
        name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
        value: 'http://otel-collector.observability:4317',
      },
    ];
    if (role !== 'init' && chance(0.5))
      env.push({
        name: 'DB_PASSWORD',
        valueFrom: { secretKeyRef: { key: 'password', name: `${cName}-db` } },
      });
    if (grade === 'legacy' && chance(0.3))
      env.push({ name: 'API_KEY', value: `sk_live_${hex(24)}` });
    if (chance(0.3))
      env.push({
        name: 'FEATURE_FLAGS',
        valueFrom: { configMapKeyRef: { key: 'flags', name: 'feature-flags' } },
      });
    c.env = env;
    c.volumeMounts = [{ mountPath: '/tmp', name: 'tmp' }];
    const requests = {
      cpu: pick(['50m', '100m', '250m', '500m']),
      memory: pick(['64Mi', '128Mi', '256Mi', '512Mi']),
    };
    const limits = {
      cpu: pick(['500m', '1', '2']),
      memory: pick(['256Mi', '512Mi', '1Gi', '2Gi']),
    };
    if (grade === 'compliant' || grade === 'system')
      c.resources = { limits, requests };
    else if (grade === 'typical')
      c.resources = chance(0.6) ? { limits, requests } : { requests };
    else c.resources = chance(0.3) ? { requests } : {};
    const probePort = ports[0]?.name ?? 8080;
    const probe = (path, period) => ({
      failureThreshold: 3,
      httpGet: { path, port: probePort, scheme: 'HTTP' },
      periodSeconds: period,
      successThreshold: 1,
      timeoutSeconds: 1,
    });
    if (
      role !== 'init' &&
      ports.length > 0 &&
      (grade !== 'legacy' || chance(0.3))
    ) {
      c.livenessProbe = { ...probe('/healthz', 10), initialDelaySeconds: 10 };
      if (grade !== 'typical' || chance(0.7))
        c.readinessProbe = probe('/ready', 5);
    }
    if (grade === 'compliant' || grade === 'system') {
      c.securityContext = {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 10001,
      };
      if (grade === 'system')
        c.securityContext = {
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
          readOnlyRootFilesystem: true,
        };
    } else if (grade === 'typical') {
      c.securityContext = {
        allowPrivilegeEscalation: false,
        runAsNonRoot: chance(0.7),
      };
      if (chance(0.5)) c.securityContext.capabilities = { drop: ['ALL'] };
      if (chance(0.5)) c.securityContext.readOnlyRootFilesystem = true;
    } else if (chance(0.6)) {
      c.securityContext = chance(0.2)
        ? { privileged: true }
        : { allowPrivilegeEscalation: true, runAsUser: 0 };
    }
    return c;
  }

  function workloadStatus(kind, replicas, generation, grade, name, created) {
    const ready =
      grade === 'legacy' && chance(0.2) ? Math.max(0, replicas - 1) : replicas;
    if (kind === 'Deployment') {
      return {
        availableReplicas: ready,
        conditions: [
          {
            lastTransitionTime: created,
            lastUpdateTime: created,
            message:
              ready === replicas
                ? 'Deployment has minimum availability.'
                : 'Deployment does not have minimum availability.',
            reason:
              ready === replicas
                ? 'MinimumReplicasAvailable'
                : 'MinimumReplicasUnavailable',
            status: ready === replicas ? 'True' : 'False',
            type: 'Available',
          },
          {
            lastTransitionTime: created,
            lastUpdateTime: time(-20, -1),
            message: `ReplicaSet "${name}-${podHash()}" has successfully progressed.`,
            reason: 'NewReplicaSetAvailable',
            status: 'True',
            type: 'Progressing',
          },
        ],
        observedGeneration: generation,
        readyReplicas: ready,
        replicas,
        updatedReplicas: replicas,
      };
    }
    if (kind === 'StatefulSet') {
      const revision = `${name}-${podHash()}`;
      return {
        availableReplicas: ready,
        collisionCount: 0,
        currentReplicas: replicas,
        currentRevision: revision,
        observedGeneration: generation,
        readyReplicas: ready,
        replicas,
        updateRevision: revision,
        updatedReplicas: replicas,
      };
    }
    return {
      currentNumberScheduled: replicas,
      desiredNumberScheduled: replicas,
      numberAvailable: ready,
      numberMisscheduled: 0,
      numberReady: ready,
      numberUnavailable: replicas - ready || undefined,
      observedGeneration: generation,
      updatedNumberScheduled: replicas,
    };
  }
}

/** `kubectl get -A -o json` wraps everything in a List. */
export function toList(objects) {
  return {
    apiVersion: 'v1',
    items: objects,
    kind: 'List',
    metadata: { resourceVersion: '' },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1000);
  process.stdout.write(JSON.stringify(toList(generateObjects(n)), null, 2));
  process.stdout.write('\n');
}
