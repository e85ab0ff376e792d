/*
 * aks-baseline:fix — applies the safe fixes of the failing findings to the
 * manifests under a path of the workspace (fetched before, e.g. by
 * fetch:plain), with the engine's planner the CLI's `aks-baseline fix`
 * uses, and outputs what a pull request needs: the findings fixed with each
 * rule's title and rationale (Markdown), the files changed and the diff.
 * Files it cannot edit safely (unrendered templates, rendered Helm output,
 * JSON, text it cannot read) are listed in the output and left untouched.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  fixOf,
  parseSourceDocuments,
  planManifestFixes,
  RULE_CATALOG,
  unifiedDiff,
  type RuleDefinition,
} from '@aks-baseline/plugin-aks-baseline-node';
import { Finding, ResourceRef } from '@aks-baseline/plugin-aks-baseline-common';
import { readFileSync, writeFileSync } from 'node:fs';
import { posix, relative, sep } from 'node:path';
import { ScaffolderSettings } from '../config';
import { Environment } from '../manifests';
import { scoreObjects } from '../score';
import { DEFAULT_PATTERNS, findFiles } from './files';
import { fixDescription, FixedRule, LeftAlone } from './fixDescription';
import { manifestDefaultsFields, parseInput, Z } from './schemas';

/** @public */
export const FIX_ACTION_ID = 'aks-baseline:fix';

const fixInputFields = {
  path: (z: Z) =>
    z
      .string()
      .min(1, { message: 'must name a file or directory of the workspace' })
      .optional()
      .describe(
        'File or directory in the workspace holding the manifests; default the workspace root',
      ),
  ...manifestDefaultsFields,
  scopes: (z: Z) =>
    z
      .array(z.enum(['namespace', 'workload', 'object']))
      .optional()
      .describe(
        'Fix only the findings of rules of these scopes; default all. A service that does not own its namespace uses [workload, object]',
      ),
  repositoryPath: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Where path is in the repository the changes go to (e.g. deploy/k8s, when fetched into manifests): files are named from there in the description, the diff and the outputs; default their workspace names',
      ),
  completeKinds: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Kinds the manifests are complete for: their absence counts (e.g. PodDisruptionBudget, NetworkPolicy), so the fix adds them',
      ),
};

interface FixInput {
  path?: string;
  namespace?: string;
  environment?: Environment;
  scopes?: ('namespace' | 'workload' | 'object')[];
  repositoryPath?: string;
  completeKinds?: string[];
}

const EXAMPLE = `steps:
  - id: fetch
    name: Fetch the service's repository
    action: fetch:plain
    input:
      url: \${{ parameters.sourceUrl }}
  - id: fix
    name: Apply the AKS baseline's safe fixes
    action: aks-baseline:fix
    input:
      path: kubernetes
      scopes: [workload, object]
  - id: pr
    action: publish:github:pull-request
    input:
      repoUrl: \${{ parameters.repoUrl }}
      branchName: aks-baseline-fixes
      title: Apply the AKS baseline's safe fixes
      description: \${{ steps.fix.output.description }}`;

function describeResource(r: ResourceRef): string {
  return r.namespace
    ? `${r.kind} ${r.namespace}/${r.name}`
    : `${r.kind} ${r.name}`;
}

/** The workspace-relative name of a file, with `/`. */
function workspaceName(workspacePath: string, file: string): string {
  return relative(workspacePath, file).split(sep).join('/');
}

/**
 * A workspace file's name as the reader of the pull request knows it: from
 * the repository path the fetched folder came from, when given.
 */
function repositoryNamer(
  where: string,
  repositoryPath: string | undefined,
): (file: string) => string {
  if (repositoryPath === undefined) return file => file;
  const fetched = posix.normalize(where.split(sep).join('/'));
  return file =>
    posix.join(repositoryPath, posix.relative(fetched, file)) || file;
}

/** @public */
export function createFixAction(options: {
  settings: ScaffolderSettings;
  /**
   * The rules whose fixes are applied: the built-in catalog by default; the
   * module gives it with the backend's custom rules.
   */
  rules?: readonly RuleDefinition[];
}) {
  const { settings } = options;
  const rules = options.rules ?? RULE_CATALOG;
  const byId = new Map(rules.map(r => [r.id, r]));
  return createTemplateAction({
    id: FIX_ACTION_ID,
    description:
      "Applies the AKS baseline's safe fixes to the Kubernetes manifests under a path of the workspace, keeping comments and layout, and outputs the findings fixed (Markdown, with each rule's rationale), the number of files changed and a unified diff. Files it cannot edit safely (Helm templates, rendered Helm output, JSON) are listed, not touched. In a dry run it changes nothing.",
    examples: [
      {
        description: 'Open a pull request with the safe fixes',
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: fixInputFields,
      output: {
        description: z =>
          z
            .string()
            .describe(
              'Markdown for the pull request: the findings fixed with their rationale, and what was left',
            ),
        filesChanged: z =>
          z
            .number()
            .describe('Number of files changed (or, in a dry run, to change)'),
        diff: z => z.string().describe('Unified diff of the changes'),
        fixed: z =>
          z
            .array(
              z.object({
                ruleId: z.string(),
                baselineRef: z.string(),
                title: z.string(),
                rationale: z.string(),
                resource: z.string(),
                file: z.string(),
                summary: z.string(),
              }),
            )
            .describe('The findings fixed'),
        notEdited: z =>
          z
            .array(z.object({ file: z.string(), reason: z.string() }))
            .describe('Files left untouched, with why'),
      },
    },
    async handler(ctx) {
      const input = parseInput<FixInput>(
        fixInputFields,
        ctx.input,
        FIX_ACTION_ID,
      );
      const where = input.path ?? '.';
      const root = resolveSafeChildPath(ctx.workspacePath, where);
      let paths: string[];
      try {
        paths = await findFiles(root, DEFAULT_PATTERNS);
      } catch (e) {
        throw new InputError(
          `Cannot read ${where} in the workspace: ${(e as Error).message}`,
        );
      }
      if (paths.length === 0) {
        throw new InputError(`No manifest files (YAML or JSON) in ${where}`);
      }
      const texts = new Map<string, string>();
      const notEdited: LeftAlone[] = [];
      for (const full of paths) {
        const file = workspaceName(ctx.workspacePath, full);
        const text = readFileSync(full, 'utf8');
        try {
          // Templates and unreadable text are refused here, as by the gate.
          parseSourceDocuments(text, file);
          texts.set(file, text);
        } catch (e) {
          notEdited.push({ file, reason: (e as Error).message });
        }
      }
      const files = [...texts.keys()];
      const score = scoreObjects(
        files.map(file => ({ file, text: texts.get(file)! })),
        {
          name: where,
          namespace: input.namespace,
          environment: input.environment,
          providedKinds: input.completeKinds,
          baseline: settings.baseline,
          scopes: input.scopes,
          rules,
        },
      );
      const plan = planManifestFixes<Finding>({
        findings: score.result.findings,
        fixOf,
        files,
        readFile: file => texts.get(file)!,
        defaultNamespace: input.namespace,
      });
      notEdited.push(...plan.notEdited);
      const shown = repositoryNamer(where, input.repositoryPath);
      const notEditedShown = notEdited.map(n => ({
        ...n,
        file: shown(n.file),
      }));

      const fixed: FixedRule[] = plan.changes.flatMap(change =>
        change.fixed.map(({ finding, fix }) => {
          const rule = byId.get(finding.ruleId);
          return {
            ruleId: finding.ruleId,
            baselineRef: finding.baselineRef,
            title: rule?.title ?? finding.ruleId,
            rationale: rule?.rationale ?? '',
            resource: describeResource(finding.resource),
            file: shown(change.file),
            summary: 'summary' in fix ? fix.summary : '',
          };
        }),
      );
      const diff = plan.changes
        .map(c => unifiedDiff(c.before, c.after, shown(c.file)))
        .join('');
      if (!ctx.isDryRun) {
        for (const change of plan.changes) {
          writeFileSync(
            resolveSafeChildPath(ctx.workspacePath, change.file),
            change.after,
          );
        }
      }
      const notApplied = plan.notApplied.map(n => ({
        ruleId: n.finding.ruleId,
        resource: describeResource(n.finding.resource),
        reason: n.reason,
      }));
      const toAdapt = plan.toAdapt.map(a => ({
        ruleId: a.finding.ruleId,
        resource: describeResource(a.finding.resource),
        reason: 'adapt' in a.fix && a.fix.adapt ? a.fix.adapt : '',
      }));
      ctx.output(
        'description',
        fixDescription({
          fixed,
          notEdited: notEditedShown,
          notApplied,
          toAdapt,
        }),
      );
      ctx.output('filesChanged', plan.changes.length);
      ctx.output('diff', diff);
      ctx.output('fixed', fixed as any);
      ctx.output('notEdited', notEditedShown as any);
      ctx.logger.info(
        `${ctx.isDryRun ? 'Dry run: would fix' : 'Fixed'} ${
          fixed.length
        } findings in ${plan.changes.length} files; ${
          notEdited.length
        } files left untouched`,
      );
      for (const n of notEditedShown) {
        ctx.logger.warn(`Not edited ${n.file}: ${n.reason}`);
      }
      if (ctx.isDryRun && diff) ctx.logger.info(`Diff:\n${diff}`);
    },
  });
}
