/*
 * aks-baseline:namespace:create — applies a baseline-compliant namespace to
 * a configured cluster with server-side apply, one checkpoint per object.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import {
  ClusterTarget,
  findCluster,
  ReachableCluster,
  ScaffolderSettings,
} from '../config';
import { KubernetesClient } from '../kubernetes/client';
import { TokenProvider } from '../kubernetes/credentials';
import { NamespaceAuthorizer } from '../permissions/namespaceAuthorizer';
import { describeManifest, Manifest, NamespaceInput } from '../manifests';
import { ArmAccess, createArmAccess } from '../azure/armClient';
import {
  ManagedClusterFacts,
  readManagedCluster,
} from '../azure/managedCluster';
import { readManagedNamespace } from '../azure/managedNamespace';
import { commonOutputs, prepareNamespace } from './prepare';
import { namespaceInputFields, parseInput } from './schemas';
import { namespaceOutputFields } from './outputs';
import { checkExistingOwner } from './ownership';
import { runSteps, Step } from './steps';
import { armPathSteps } from './managedNamespacePath';
import { federatedCredential } from './federatedCredential';

/** @public */
export const CREATE_NAMESPACE_ACTION_ID = 'aks-baseline:namespace:create';

/** @public */
export interface CreateNamespaceActionOptions {
  settings: ScaffolderSettings;
  getToken: TokenProvider;
  /** Decides whether the user running the task may act for an owner. */
  authorizer: NamespaceAuthorizer;
  /**
   * The rules the generated namespace is scored with: the built-in catalog
   * by default; the module gives it with the backend's custom rules.
   */
  rules?: readonly RuleDefinition[];
  /** Azure Resource Manager clients for clusters with `managedCluster`. */
  arm?: ArmAccess;
}

const EXAMPLE = `steps:
  - id: namespace
    name: Create the namespace
    action: aks-baseline:namespace:create
    input:
      cluster: aks-dev-koreacentral
      namespace: payments-dev
      owner: group:default/team-payments
      environment: non-production
      quota: small
      workloadIdentity:
        clientId: 5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f
        serviceAccountName: payments-api
      teamGroup: 0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c`;

const EXAMPLE_EXPLICIT = `steps:
  - id: namespace
    name: Create a production namespace with explicit limits
    action: aks-baseline:namespace:create
    input:
      cluster: aks-prod-westeurope
      namespace: payments
      owner: group:default/team-payments
      environment: production
      quota:
        requests.cpu: "6"
        requests.memory: 12Gi
        limits.cpu: "12"
        limits.memory: 24Gi
        persistentvolumeclaims: 8
        services.loadbalancers: 1
      limitRange:
        max: { cpu: "2", memory: 4Gi }
      workloadIdentity:
        clientId: 5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f
      teamGroup: 0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c
      role: edit
      labels:
        cost-center: cc-4711`;

/** Where a dry run writes the objects it would apply, in the workspace. */
function dryRunManifestsPath(namespace: string, cluster: string): string {
  return `manifests/${namespace}.${cluster}.yaml`;
}

function reachable(cluster: ClusterTarget): ReachableCluster {
  if (!cluster.url || !cluster.auth) {
    throw new InputError(
      `Cluster "${cluster.name}" has no url/auth in aksBaseline.scaffolder.clusters: namespaces for it can only be rendered (GitOps), not created on it directly`,
    );
  }
  return cluster as ReachableCluster;
}

/** @public */
export function createNamespaceCreateAction(
  options: CreateNamespaceActionOptions,
) {
  const { settings, getToken, authorizer, rules } = options;
  const arm = options.arm ?? createArmAccess();
  return createTemplateAction({
    id: CREATE_NAMESPACE_ACTION_ID,
    description:
      'Creates a namespace that meets the AKS baseline on a configured cluster: Namespace with Pod Security labels, ResourceQuota, LimitRange, default-deny ingress NetworkPolicy, Workload Identity ServiceAccount and the team RoleBinding, with server-side apply; on a cluster configured with managedCluster that supports it, the namespace is an AKS managed namespace (ARM) and the team access an Azure role assignment on it. Only for a signed-in user allowed aks-baseline.namespace.create on the owner (by default its members) and, for an existing namespace, on its current owner. Re-runs converge.',
    examples: [
      {
        description: 'A non-production namespace with the small preset',
        example: EXAMPLE,
      },
      {
        description: 'A production namespace with explicit quantities',
        example: EXAMPLE_EXPLICIT,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: namespaceInputFields,
      output: {
        ...namespaceOutputFields,
        applied: z =>
          z
            .array(z.string())
            .describe('Objects applied, in order (empty in a dry-run)'),
        namespacePath: z =>
          z
            .enum(['managed-namespace', 'kubernetes', 'not-decided'])
            .describe(
              'How the namespace was created: an AKS managed namespace through ARM, or the Kubernetes API (not-decided: a dry run on a cluster configured for managed namespaces)',
            ),
        federatedCredential: z =>
          z
            .object({
              subject: z.string(),
              issuer: z.string().nullable(),
              command: z.string(),
              note: z.string().optional(),
            })
            .describe(
              'The Workload Identity federated credential to create on the identity: its subject, the cluster OIDC issuer and the az command',
            ),
      },
    },
    async handler(ctx) {
      const input = parseInput<NamespaceInput>(
        namespaceInputFields,
        ctx.input,
        CREATE_NAMESPACE_ACTION_ID,
      );
      const cluster = reachable(
        findCluster(settings, input.cluster, input.environment),
      );
      const prepared = prepareNamespace(input, settings, rules);
      const { spec, manifests } = prepared;

      // The user running the task, not the owner the input names, is
      // authorized: before any output and any request to the cluster, and
      // in a dry-run the same way.
      const initiator = await authorizer.initiator(ctx);
      await authorizer.authorize(initiator, {
        access: 'create',
        owner: spec.owner,
        namespace: spec.namespace,
        cluster: cluster.name,
      });

      const outputs = commonOutputs(prepared);
      for (const [key, value] of Object.entries(outputs)) {
        ctx.output(key as any, value as any);
      }
      ctx.logger.info(
        `Namespace ${spec.namespace} on ${cluster.name} for ${spec.owner}, requested by ${initiator.label}: ${manifests.length} objects, baseline score ${prepared.score.score}`,
      );

      const target = cluster.managedCluster;
      const credential = (issuer: string | null | undefined) =>
        federatedCredential({
          cluster: cluster.name,
          namespace: spec.namespace,
          serviceAccountName: spec.workloadIdentity.serviceAccountName,
          clientId: spec.workloadIdentity.clientId,
          managedCluster: target,
          issuer,
        });

      if (ctx.isDryRun) {
        // The objects as YAML, as the output's text shows them.
        ctx.logger.info(
          `Dry run: no request was sent to the cluster. It would apply:\n${prepared.yaml}`,
        );
        // The template editor shows a dry run's output as JSON, where the
        // YAML is one escaped line, and its workspace files as text: the
        // objects are a file of the dry run, shown as YAML there.
        const file = resolveSafeChildPath(
          ctx.workspacePath,
          dryRunManifestsPath(spec.namespace, cluster.name),
        );
        await fs.mkdir(dirname(file), { recursive: true });
        await fs.writeFile(file, prepared.yaml, 'utf8');
        ctx.output('applied', []);
        ctx.output(
          'namespacePath',
          target?.managedNamespaces ? 'not-decided' : 'kubernetes',
        );
        ctx.output('federatedCredential', credential(undefined) as any);
        return;
      }

      const client = new KubernetesClient({
        cluster,
        getToken,
        timeoutMs: settings.requestTimeoutMs,
        signal: ctx.signal,
      });
      const owned = {
        owner: spec.owner,
        namespace: spec.namespace,
        cluster: cluster.name,
        initiator,
        authorizer,
        logger: ctx.logger,
      };

      // ARM first, when configured: the OIDC issuer, and whether the
      // namespace can be a managed namespace (criterion in azure/managedCluster.ts).
      let facts: ManagedClusterFacts | undefined;
      let steps: Step[] | undefined;
      let fallback: string | undefined;
      if (target) {
        const context = arm.context(target);
        facts = await readManagedCluster(
          context,
          target,
          cluster.name,
          ctx.signal,
        );
        fallback = facts.unsupported;
        if (!fallback) {
          const call = {
            context,
            target,
            clusterName: cluster.name,
            namespace: spec.namespace,
            signal: ctx.signal,
          };
          const read = await readManagedNamespace(call);
          if (read.state === 'unsupported') fallback = read.reason;
          else if (read.state === 'present') {
            await checkExistingOwner({
              ...owned,
              existing: {
                annotations: read.resource.properties?.annotations,
                what: `Managed namespace ${spec.namespace}`,
              },
            });
          } else if (await client.getNamespace(spec.namespace)) {
            // Adoption is never asked for (adoptionPolicy Never): a
            // Kubernetes namespace already there stays on its path.
            fallback = `namespace ${spec.namespace} already exists in Kubernetes without ARM`;
          }
          if (!fallback) {
            const planned = armPathSteps({
              context,
              target,
              facts,
              clusterName: cluster.name,
              spec,
              manifests,
              existing: read.state === 'present' ? read.resource : undefined,
              pollIntervalMs: arm.pollIntervalMs,
              signal: ctx.signal,
              logger: ctx.logger,
            });
            steps = [
              ...planned.steps,
              ...kubernetesSteps(client, planned.kubernetesManifests),
            ];
          }
        }
        if (fallback) {
          ctx.logger.info(
            `Namespace ${spec.namespace} goes through the Kubernetes API: ${fallback}`,
          );
        }
      }

      if (!steps) {
        // An existing namespace is changed only by who may act for its
        // current owner: checked before any write (and again on resume).
        const existing = await client.getNamespace(spec.namespace);
        if (existing) {
          await checkExistingOwner({
            ...owned,
            existing: {
              annotations: existing.metadata?.annotations,
              what: `Namespace ${spec.namespace}`,
            },
          });
        }
        steps = kubernetesSteps(client, manifests);
      }
      ctx.output(
        'namespacePath',
        target && !fallback ? 'managed-namespace' : 'kubernetes',
      );
      ctx.output(
        'federatedCredential',
        credential(facts ? facts.oidcIssuer ?? null : undefined) as any,
      );
      await runSteps(ctx as any, steps);
    },
  });
}

/** One server-side apply per manifest, in order. */
function kubernetesSteps(client: KubernetesClient, manifests: Manifest[]) {
  return manifests.map(
    (manifest): Step => ({
      key: `apply.${manifest.kind}.${manifest.metadata.name}`,
      label: describeManifest(manifest),
      run: async (): Promise<JsonObject> => {
        const result = await client.apply(manifest);
        const out: JsonObject = { kind: result.kind, name: result.name };
        if (result.uid) out.uid = result.uid;
        if (result.resourceVersion) {
          out.resourceVersion = result.resourceVersion;
        }
        return out;
      },
    }),
  );
}
