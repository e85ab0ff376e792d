/*
 * aks-baseline:evaluate — scores the Kubernetes manifests in the workspace
 * against the AKS baseline and fails the step below a threshold, listing
 * the failing rules. A quality gate for templates that generate manifests.
 */
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RuleDefinition } from '@aks-baseline/plugin-aks-baseline-node';
import { promises as fs } from 'node:fs';
import { relative, sep } from 'node:path';
import { ScaffolderSettings } from '../config';
import { Environment } from '../manifests';
import { formatProblems, scoreObjects } from '../score';
import { DEFAULT_PATTERNS, findFiles } from './files';
import { manifestDefaultsFields, parseInput, Z } from './schemas';

/** @public */
export const EVALUATE_ACTION_ID = 'aks-baseline:evaluate';

const evaluateInputFields = {
  path: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'File or directory in the workspace; default the workspace root',
      ),
  patterns: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Glob patterns relative to path; default **/*.yaml, **/*.yml, **/*.json',
      ),
  ...manifestDefaultsFields,
  threshold: (z: Z) =>
    z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe('Lowest passing score (0-100); default 100'),
  scopes: (z: Z) =>
    z
      .array(z.enum(['namespace', 'workload', 'object']))
      .optional()
      .describe(
        'Evaluate only the rules of these scopes; default all. A service that does not own its namespace uses [workload, object]',
      ),
  completeKinds: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Kinds the manifests are complete for: their absence counts (e.g. PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy). Other absent kinds make their rules not applicable',
      ),
};

interface EvaluateInput {
  path?: string;
  patterns?: string[];
  namespace?: string;
  environment?: Environment;
  threshold?: number;
  completeKinds?: string[];
  scopes?: ('namespace' | 'workload' | 'object')[];
}

const EXAMPLE = `steps:
  - id: gate
    name: Check the manifests against the AKS baseline
    action: aks-baseline:evaluate
    input:
      path: kubernetes
      namespace: \${{ parameters.namespace }}
      environment: production
      threshold: 100
      # The service does not own its namespace: namespace rules are not its to meet.
      scopes: [workload, object]
      completeKinds: [Service, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy]`;

/** @public */
export function createEvaluateAction(options: {
  settings: ScaffolderSettings;
  /**
   * The rules the gate applies: the built-in catalog by default; the module
   * gives it with the backend's custom rules (aksBaselineRulesServiceRef).
   */
  rules?: readonly RuleDefinition[];
}) {
  const { settings, rules } = options;
  return createTemplateAction({
    id: EVALUATE_ACTION_ID,
    description:
      'Evaluates Kubernetes manifests in the workspace against the AKS baseline and fails the step when the score is below the threshold, listing each failing rule (id, baseline key, resource, message).',
    examples: [
      { description: 'Gate generated manifests at 100', example: EXAMPLE },
    ],
    supportsDryRun: true,
    schema: {
      input: evaluateInputFields,
      output: {
        score: z =>
          z.number().nullable().describe('The AKS baseline score (0-100)'),
        grade: z => z.string().nullable().describe('A to F'),
        passed: z =>
          z.boolean().describe('Whether the score met the threshold'),
        files: z => z.array(z.string()).describe('Files evaluated'),
        failing: z =>
          z
            .array(
              z.object({
                ruleId: z.string(),
                baselineRef: z.string(),
                severity: z.string(),
                status: z.string(),
                resource: z.string(),
                message: z.string(),
              }),
            )
            .describe('Failing rules'),
      },
    },
    async handler(ctx) {
      const input = parseInput<EvaluateInput>(
        evaluateInputFields,
        ctx.input,
        EVALUATE_ACTION_ID,
      );
      const threshold = input.threshold ?? 100;
      const root = resolveSafeChildPath(ctx.workspacePath, input.path ?? '.');
      let files: string[];
      try {
        files = await findFiles(root, input.patterns ?? DEFAULT_PATTERNS);
      } catch (e) {
        throw new InputError(
          `Cannot read ${input.path ?? '.'} in the workspace: ${
            (e as Error).message
          }`,
        );
      }
      const relFiles = files.map(f =>
        relative(ctx.workspacePath, f).split(sep).join('/'),
      );
      if (files.length === 0) {
        throw new InputError(
          `No manifest files in ${input.path ?? '.'} match ${(
            input.patterns ?? DEFAULT_PATTERNS
          ).join(', ')}`,
        );
      }
      const documents = await Promise.all(
        files.map(async (file, i) => ({
          file: relFiles[i],
          text: await fs.readFile(file, 'utf8'),
        })),
      );
      const result = scoreObjects(documents, {
        name: input.path ?? 'workspace',
        namespace: input.namespace,
        environment: input.environment,
        providedKinds: input.completeKinds,
        baseline: settings.baseline,
        scopes: input.scopes,
        rules,
      });
      const passed = result.score !== null && result.score >= threshold;
      ctx.output('score', result.score);
      ctx.output('grade', result.grade);
      ctx.output('passed', passed);
      ctx.output('files', relFiles);
      ctx.output('failing', result.failing as any);
      ctx.logger.info(
        `AKS baseline score ${result.score ?? 'n/a'} (${
          result.result.stats.objects
        } objects in ${files.length} files, threshold ${threshold})`,
      );
      for (const problem of result.unknown) {
        ctx.logger.warn(
          `Undecided: [${problem.baselineRef}] ${problem.ruleId} on ${problem.resource}: ${problem.message}`,
        );
      }
      if (result.score === null) {
        throw new Error(
          `Nothing in ${relFiles.join(
            ', ',
          )} could be scored against the AKS baseline (no workloads or namespaces found)`,
        );
      }
      if (!passed) {
        throw new Error(
          `AKS baseline score ${
            result.score
          } is below the threshold ${threshold}. Failing rules:\n${formatProblems(
            result.failing,
          )}`,
        );
      }
      if (result.failing.length) {
        ctx.logger.warn(
          `Passed the threshold with failing rules:\n${formatProblems(
            result.failing,
          )}`,
        );
      }
    },
  });
}
