/*
 * The namespace render as an action of Backstage's actions registry, for AI
 * assistants through the MCP actions backend: the manifests of a
 * baseline-compliant namespace, the same the render and create actions
 * produce, returned as YAML. Nothing is written or applied and no cluster
 * is contacted; it reads no stored result, only the configured clusters'
 * names and defaults.
 */
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import { findCluster, ScaffolderSettings } from '../config';
import { NamespaceInput } from '../manifests';
import { prepareNamespace } from './prepare';
import { namespaceInputFields, parseInput, Z } from './schemas';

export const RENDER_NAMESPACE_REGISTRY_ACTION = 'aks-baseline-render-namespace';

export function registerRenderNamespaceForAssistants(options: {
  actionsRegistry: ActionsRegistryService;
  settings: ScaffolderSettings;
  rules?: readonly RuleDefinition[];
}) {
  const { settings, rules } = options;
  options.actionsRegistry.register({
    name: RENDER_NAMESPACE_REGISTRY_ACTION,
    title: 'Render a baseline-compliant AKS namespace',
    description:
      'The Kubernetes manifests (Namespace with Pod Security labels, ResourceQuota, LimitRange, default-deny NetworkPolicies, RoleBindings, workload identity ServiceAccount) of a namespace that meets the AKS baseline on a configured cluster, as one YAML document stream, with its baseline score and catalog entity ref. Renders only: nothing is written, applied or sent to a cluster.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object(
          Object.fromEntries(
            Object.entries(namespaceInputFields).map(([name, field]) => [
              name,
              field(z as Z),
            ]),
          ),
        ),
      output: z =>
        z.object({
          cluster: z.string(),
          namespace: z.string(),
          manifests: z.string().describe('The objects, a multi-document YAML'),
          objects: z.array(z.object({ kind: z.string(), name: z.string() })),
          score: z.number().nullable(),
          entityRef: z.string(),
        }),
    },
    action: async ({ input }) => {
      const request = parseInput<NamespaceInput>(
        namespaceInputFields,
        input,
        RENDER_NAMESPACE_REGISTRY_ACTION,
      );
      findCluster(settings, request.cluster, request.environment);
      const prepared = prepareNamespace(request, settings, rules);
      return {
        output: {
          cluster: prepared.spec.cluster,
          namespace: prepared.spec.namespace,
          manifests: prepared.yaml,
          objects: prepared.manifests.map(m => ({
            kind: String(m.kind),
            name: String(m.metadata?.name ?? ''),
          })),
          score: prepared.score.score,
          entityRef: prepared.entityRef,
        },
      };
    },
  });
}
