/*
 * explain-rule: what a rule checks, why, and how to fix it, as configured
 * (the REST API's /rules item); by rule id or baseline key.
 */
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import { CallerAccessFactory } from './types';
import { categorySchema, remediationSchema, severitySchema } from './schemas';

export function registerRuleAction(options: {
  actionsRegistry: ActionsRegistryService;
  rules: readonly RuleInfo[];
  accessOf: CallerAccessFactory;
}) {
  const { rules, accessOf } = options;
  options.actionsRegistry.register({
    name: 'explain-rule',
    title: 'Explain an AKS Baseline rule',
    description:
      'What an AKS Baseline rule checks, why (its rationale), its severity and category as configured, and how to fix a failure: a one-line summary, the exact az/kubectl command or a YAML snippet. Give a rule id (container-not-privileged) or a baseline key (PS-07); a key several rules share lists them all.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          rule: z
            .string()
            .min(1)
            .describe(
              'Rule id (container-not-privileged) or baseline key (PS-07)',
            ),
        }),
      output: z =>
        z.object({
          rules: z.array(
            z.object({
              id: z.string(),
              baselineRef: z.string(),
              title: z.string(),
              category: categorySchema(z),
              severity: severitySchema(z),
              rationale: z.string(),
              remediation: remediationSchema(z),
              scope: z.string(),
              source: z.string().optional(),
              enabled: z.boolean(),
              profiles: z.array(z.string()).optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      accessOf(credentials);
      const wanted = input.rule.trim();
      const key = wanted.toUpperCase();
      const found = rules.filter(
        r => r.id === wanted || r.baselineRef.toUpperCase() === key,
      );
      if (found.length === 0) {
        throw new NotFoundError(
          `No rule with the id or baseline key "${wanted}"`,
        );
      }
      return {
        output: {
          rules: found.map(r => ({
            id: r.id,
            baselineRef: r.baselineRef,
            title: r.title,
            category: r.category,
            severity: r.severity,
            rationale: r.rationale,
            remediation: { ...r.remediation },
            scope: r.scope,
            ...(r.source ? { source: r.source } : {}),
            enabled: r.enabled,
            ...(r.profiles ? { profiles: r.profiles } : {}),
          })),
        },
      };
    },
  });
}
