/*
 * aks-baseline:namespace:create — applies a baseline-compliant namespace to
 * a configured cluster with server-side apply, one checkpoint per object.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
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
import {
  describeManifest,
  Manifest,
  NamespaceInput,
  OWNER_ANNOTATION,
} from '../manifests';
import { commonOutputs, prepareNamespace } from './prepare';
import { namespaceInputFields, parseInput } from './schemas';
import { namespaceOutputFields } from './outputs';

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

/** The full ref in the owner annotation, or undefined when it is not one. */
function annotatedOwner(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    return undefined;
  }
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
  return createTemplateAction({
    id: CREATE_NAMESPACE_ACTION_ID,
    description:
      'Creates a namespace that meets the AKS baseline on a configured cluster: Namespace with Pod Security labels, ResourceQuota, LimitRange, default-deny ingress NetworkPolicy, Workload Identity ServiceAccount and the team RoleBinding, with server-side apply. Only for a signed-in user allowed aks-baseline.namespace.create on the owner (by default its members) and, for an existing namespace, on its current owner. Re-runs converge.',
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
      const target = { namespace: spec.namespace, cluster: cluster.name };
      await authorizer.authorize(initiator, {
        access: 'create',
        owner: spec.owner,
        ...target,
      });

      const outputs = commonOutputs(prepared);
      for (const [key, value] of Object.entries(outputs)) {
        ctx.output(key as any, value as any);
      }
      ctx.logger.info(
        `Namespace ${spec.namespace} on ${cluster.name} for ${spec.owner}, requested by ${initiator.label}: ${manifests.length} objects, baseline score ${prepared.score.score}`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: no request was sent to the cluster');
        ctx.output('applied', []);
        return;
      }

      const client = new KubernetesClient({
        cluster,
        getToken,
        timeoutMs: settings.requestTimeoutMs,
        signal: ctx.signal,
      });

      // An existing namespace is changed only by who may act for its
      // current owner: checked before any write (and again on resume).
      const existing = await client.getNamespace(spec.namespace);
      if (existing) {
        const annotation = existing.metadata?.annotations?.[OWNER_ANNOTATION];
        const owner = annotatedOwner(annotation);
        if (!owner) {
          throw new ConflictError(
            annotation
              ? `Namespace ${spec.namespace} already exists on cluster ${cluster.name} and its ${OWNER_ANNOTATION} annotation ("${annotation}") is not an entity ref. It is never taken over: have a cluster admin correct the annotation.`
              : `Namespace ${spec.namespace} already exists on cluster ${cluster.name} and was not created by the scaffolder (no ${OWNER_ANNOTATION} annotation). It is never taken over: choose another name, or have a cluster admin annotate it with ${OWNER_ANNOTATION}=${spec.owner} to adopt it.`,
          );
        }
        if (owner !== spec.owner) {
          await authorizer.authorize(initiator, {
            access: 'change',
            owner,
            ...target,
          });
          ctx.logger.info(
            `Namespace ${spec.namespace} is owned by ${owner}: ${initiator.label} hands it over to ${spec.owner}`,
          );
        } else {
          ctx.logger.info(
            `Namespace ${spec.namespace} exists and is owned by ${owner}: converging it`,
          );
        }
      }

      const applied: string[] = [];
      for (let i = 0; i < manifests.length; i++) {
        const manifest: Manifest = manifests[i];
        const label = describeManifest(manifest);
        try {
          await ctx.checkpoint({
            key: `apply.${manifest.kind}.${manifest.metadata.name}`,
            fn: async (): Promise<JsonObject> => {
              const result = await client.apply(manifest);
              const out: JsonObject = { kind: result.kind, name: result.name };
              if (result.uid) out.uid = result.uid;
              if (result.resourceVersion) {
                out.resourceVersion = result.resourceVersion;
              }
              return out;
            },
          });
        } catch (error) {
          ctx.output('applied', applied);
          const remaining = manifests.slice(i).map(describeManifest);
          const message = (error as Error).message;
          throw new Error(
            `${message}\nApplied before the failure: ${
              applied.length ? applied.join(', ') : 'nothing'
            }. Not applied: ${remaining.join(
              ', ',
            )}. Fix the cause and run the task again: applying is idempotent and completes the namespace.`,
          );
        }
        applied.push(label);
        ctx.logger.info(`Applied ${label}`);
      }
      ctx.output('applied', applied);
    },
  });
}
