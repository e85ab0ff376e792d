/*
 * get-entity-score: an entity's score, grade, failures by severity and its
 * costliest failing rules with the fix, from the stored answer the REST
 * API's score route serves, limited to what the caller may see.
 */
import { promisify } from 'util';
import { gunzip as gunzipCallback } from 'zlib';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  EntityScoreResponse,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import { entityScoreAnswer } from '../service/answers/entityScore';
import { CallerAccessFactory } from './types';
import { entityRefInput } from './access';
import { categorySchema, severitySchema } from './schemas';

const gunzip = promisify(gunzipCallback);

export function registerEntityScoreAction(options: {
  actionsRegistry: ActionsRegistryService;
  store: AksBaselineStore;
  rulesById: ReadonlyMap<string, RuleInfo>;
  accessOf: CallerAccessFactory;
}) {
  const { store, rulesById, accessOf } = options;
  options.actionsRegistry.register({
    name: 'get-entity-score',
    title: 'AKS Baseline score of an entity',
    description:
      'The AKS Baseline score (0-100) and grade of a catalog entity over the Kubernetes objects it owns on its AKS clusters, its failing findings by severity, each cluster’s part, and its top failing rules (the costliest first) with the objects they fail on and how to fix them. Fails with "has not been evaluated" for an entity without a score or that the caller may not see.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'Entity reference, e.g. component:default/checkout-api (kind defaults to component, namespace to default)',
            ),
          top: z
            .number()
            .int()
            .min(1)
            .max(20)
            .optional()
            .describe('How many failing rules to list (default 5)'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          score: z.number().nullable(),
          grade: z.string().nullable(),
          evaluatedAt: z.string(),
          stale: z.boolean(),
          staleReason: z.string().optional(),
          failing: z.object({
            critical: z.number(),
            high: z.number(),
            medium: z.number(),
            low: z.number(),
          }),
          waived: z.number(),
          unknownChecks: z
            .number()
            .describe('Checks that could not be decided: outside the score'),
          totalFindings: z.number(),
          clusters: z.array(
            z.object({
              cluster: z.string(),
              score: z.number().nullable(),
              grade: z.string().nullable(),
              evaluatedAt: z.string(),
              stale: z.boolean(),
            }),
          ),
          topFailingRules: z.array(
            z.object({
              ruleId: z.string(),
              baselineRef: z.string(),
              title: z.string(),
              category: categorySchema(z),
              severity: severitySchema(z),
              failures: z.number(),
              clusters: z.array(z.string()),
              examples: z
                .array(z.string())
                .describe('A few of the objects it fails on'),
              fix: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefInput(input.entityRef);
      const access = accessOf(credentials);
      const encoded = await entityScoreAnswer(
        store,
        entityRef,
        await access.visibility(entityRef),
      );
      const answer: EntityScoreResponse = JSON.parse(
        (await gunzip(encoded.responseGzip)).toString('utf8'),
      );
      return {
        output: {
          entityRef: answer.entityRef,
          score: answer.score,
          grade: answer.grade,
          evaluatedAt: answer.evaluatedAt,
          stale: answer.stale,
          ...(answer.staleReason ? { staleReason: answer.staleReason } : {}),
          failing: answer.counts.failing,
          waived: answer.counts.waived,
          unknownChecks: answer.totals.unknown,
          totalFindings: answer.totalFindings,
          clusters: answer.clusters.map(c => ({
            cluster: c.cluster,
            score: c.score,
            grade: c.grade,
            evaluatedAt: c.evaluatedAt,
            stale: c.stale,
          })),
          topFailingRules: answer.failingRules
            .slice(0, input.top ?? 5)
            .map(r => ({
              ruleId: r.ruleId,
              baselineRef: r.baselineRef,
              title: rulesById.get(r.ruleId)?.title ?? r.ruleId,
              category: r.category,
              severity: r.severity,
              failures: r.failures,
              clusters: r.clusters,
              examples: r.resources.map(
                o =>
                  `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
              ),
              fix: rulesById.get(r.ruleId)?.remediation.summary ?? '',
            })),
        },
      };
    },
  });
}
