#!/usr/bin/env node
/*
 * Writes realistic Kubernetes manifests for the CLI benchmark: per app one
 * multi-document YAML file (Deployment, Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget) plus, per namespace, a Namespace, a default-deny
 * NetworkPolicy, a ResourceQuota and a LimitRange; every tenth app also gets
 * an Ingress and a ConfigMap, and a JSON List file. About a third of the apps
 * carry typical findings (no limits, :latest, privileged, no probes).
 *
 * Usage: node bench/cli/generate-manifests.mjs <dir> [objects=10000]
 * Prints the number of objects and files written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const target = Number(process.argv[3] ?? 10000);
if (!dir || !Number.isInteger(target) || target <= 0) {
  console.error('usage: generate-manifests.mjs <dir> [objects]');
  process.exit(2);
}

const APPS_PER_NAMESPACE = 20;

function deployment(ns, app, i, bad) {
  const image = bad
    ? `docker.io/library/${app}:latest`
    : `contoso.azurecr.io/${ns}/${app}:1.${i % 10}.${i % 7}`;
  const security = bad
    ? `          securityContext:
            privileged: ${i % 2 === 0}
            allowPrivilegeEscalation: true`
    : `          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault`;
  const resources = bad
    ? ''
    : `          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
`;
  const probes = bad
    ? ''
    : `          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
`;
  return `# Source: ${app}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/instance: ${app}
    app.kubernetes.io/version: "1.${i % 10}.${i % 7}"
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: ${app}-0.${i % 5}.0
spec:
  replicas: ${bad ? 1 : 3}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
      app.kubernetes.io/instance: ${app}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${app}
        app.kubernetes.io/instance: ${app}
      annotations:
        checksum/config: "${(i * 2654435761).toString(16).padStart(16, '0')}"
    spec:
      serviceAccountName: ${app}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: ${!bad}
        fsGroup: 10001
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${app}
      containers:
        - name: ${app}
          image: ${image}
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: LOG_LEVEL
              value: info
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
${security}
${resources}${probes}          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir: {}
`;
}

function service(ns, app) {
  return `# Source: ${app}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${app}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${app}
    app.kubernetes.io/instance: ${app}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
`;
}

function hpa(ns, app) {
  return `# Source: ${app}/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${app}
  minReplicas: 3
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
`;
}

function pdb(ns, app) {
  return `# Source: ${app}/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${app}
`;
}

function namespaceDocs(ns, production) {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    environment: ${production ? 'production' : 'development'}
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: ${ns}
spec:
  hard:
    requests.cpu: "20"
    requests.memory: 40Gi
    limits.cpu: "40"
    limits.memory: 80Gi
---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: ${ns}
spec:
  limits:
    - type: Container
      default:
        cpu: 500m
        memory: 256Mi
      defaultRequest:
        cpu: 100m
        memory: 128Mi
`;
}

function ingressList(ns, app) {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: app, namespace: ns },
          spec: {
            ingressClassName: 'webapprouting.kubernetes.azure.com',
            tls: [{ hosts: [`${app}.contoso.com`], secretName: `${app}-tls` }],
            rules: [
              {
                host: `${app}.contoso.com`,
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: {
                        service: { name: app, port: { name: 'http' } },
                      },
                    },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `${app}-config`, namespace: ns },
          data: { 'app.properties': 'feature.x=true\nfeature.y=false\n' },
        },
      ],
    },
    null,
    2,
  );
}

let objects = 0;
let files = 0;
let app = 0;
for (let n = 0; objects < target; n++) {
  const ns = `team-${String(n).padStart(3, '0')}`;
  const nsDir = join(dir, ns);
  mkdirSync(nsDir, { recursive: true });
  writeFileSync(join(nsDir, 'namespace.yaml'), namespaceDocs(ns, n % 2 === 0));
  objects += 4;
  files++;
  for (let a = 0; a < APPS_PER_NAMESPACE && objects < target; a++, app++) {
    const name = `svc-${String(app).padStart(5, '0')}`;
    const bad = app % 3 === 0;
    const docs = [deployment(ns, name, app, bad), service(ns, name)];
    if (!bad) docs.push(hpa(ns, name), pdb(ns, name));
    const take = Math.min(docs.length, target - objects);
    writeFileSync(
      join(nsDir, `${name}.yaml`),
      docs.slice(0, take).join('---\n'),
    );
    objects += take;
    files++;
    if (app % 10 === 0 && objects + 2 <= target) {
      writeFileSync(join(nsDir, `${name}-ingress.json`), ingressList(ns, name));
      objects += 2;
      files++;
    }
  }
}
console.log(JSON.stringify({ dir, objects, files }));
