/*
 * aks-baseline:namespace:render — writes the same manifests the create
 * action applies into the workspace, for GitOps flows (a pull request that
 * Flux or Argo CD applies). No cluster access.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { findCluster, ScaffolderSettings } from '../config';
import { manifestFileName, NamespaceInput } from '../manifests';
import { namespaceOutputFields } from './outputs';
import { commonOutputs, prepareNamespace } from './prepare';
import { namespaceInputFields, parseInput, Z } from './schemas';

/** @public */
export const RENDER_NAMESPACE_ACTION_ID = 'aks-baseline:namespace:render';

const renderInputFields = {
  ...namespaceInputFields,
  path: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Directory in the workspace to write to; default clusters/<cluster>/namespaces/<namespace>',
      ),
  layout: (z: Z) =>
    z
      .enum(['files', 'single'])
      .optional()
      .describe(
        'files (default): one file per object plus a kustomization.yaml; single: one multi-document namespace.yaml',
      ),
};

const EXAMPLE = `steps:
  - id: render
    name: Render the namespace manifests
    action: aks-baseline:namespace:render
    input:
      cluster: aks-prod-westeurope
      namespace: payments
      owner: group:default/team-payments
      environment: production
      quota: medium
      workloadIdentity:
        clientId: 5f0c9a52-8d0b-4a57-9a7e-3b8a1c2d4e6f
      teamGroup: 0b7c8e2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c
      path: clusters/aks-prod-westeurope/namespaces/payments
  - id: pr
    name: Open a pull request
    action: publish:github:pull-request
    input:
      repoUrl: github.com?owner=contoso&repo=platform-gitops
      branchName: namespace-payments
      title: "Namespace payments on aks-prod-westeurope"
      description: \${{ steps.render.output.manifests }}`;

/** @public */
export function createNamespaceRenderAction(options: {
  settings: ScaffolderSettings;
  /**
   * The rules the generated namespace is scored with: the built-in catalog
   * by default; the module gives it with the backend's custom rules.
   */
  rules?: readonly RuleDefinition[];
}) {
  const { settings, rules } = options;
  return createTemplateAction({
    id: RENDER_NAMESPACE_ACTION_ID,
    description:
      'Writes the manifests of a baseline-compliant namespace (the same objects aks-baseline:namespace:create applies) into the workspace for a GitOps pull request. Does not contact the cluster.',
    examples: [
      {
        description: 'Render a production namespace and open a pull request',
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: renderInputFields,
      output: {
        ...namespaceOutputFields,
        path: z =>
          z
            .string()
            .describe('The directory written, relative to the workspace'),
        files: z =>
          z
            .array(z.string())
            .describe('Files written, relative to the workspace'),
      },
    },
    async handler(ctx) {
      const input = parseInput<
        NamespaceInput & { path?: string; layout?: 'files' | 'single' }
      >(renderInputFields, ctx.input, RENDER_NAMESPACE_ACTION_ID);
      findCluster(settings, input.cluster, input.environment);
      const prepared = prepareNamespace(input, settings, rules);
      const dir =
        input.path ??
        join('clusters', input.cluster, 'namespaces', input.namespace);
      const root = resolveSafeChildPath(ctx.workspacePath, dir);

      const files: Record<string, string> = {};
      if (input.layout === 'single') {
        files['namespace.yaml'] = prepared.yaml;
      } else {
        const names = prepared.manifests.map(manifestFileName);
        prepared.manifests.forEach((m, i) => {
          files[names[i]] = stringify(m, { lineWidth: 0 });
        });
        files['kustomization.yaml'] = stringify({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: names,
        });
      }
      const written: string[] = [];
      for (const [name, content] of Object.entries(files)) {
        const file = resolveSafeChildPath(root, name);
        await fs.mkdir(dirname(file), { recursive: true });
        await fs.writeFile(file, content, 'utf8');
        written.push(relative(ctx.workspacePath, file));
      }
      ctx.logger.info(
        `Wrote ${written.length} files to ${relative(
          ctx.workspacePath,
          root,
        )} (baseline score ${prepared.score.score})`,
      );
      for (const [key, value] of Object.entries(commonOutputs(prepared))) {
        ctx.output(key as any, value as any);
      }
      ctx.output('path', relative(ctx.workspacePath, root));
      ctx.output('files', written);
    },
  });
}
