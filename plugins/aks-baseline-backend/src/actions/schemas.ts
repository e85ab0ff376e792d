/*
 * Zod pieces shared by the actions' input and output schemas (built with
 * the `z` the registry hands in).
 */
import {
  CATEGORIES,
  FINDING_STATUSES,
  SEVERITIES,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';

/** The zod the registry hands to the schema functions. */
export type Z = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

/** z.enum wants a non-empty tuple. */
export function enumOf<T extends string>(z: Z, values: readonly T[]) {
  return z.enum(values as unknown as [T, ...T[]]);
}

export const severitySchema = (z: Z) => enumOf(z, SEVERITIES);
export const categorySchema = (z: Z) => enumOf(z, CATEGORIES);
export const statusSchema = (z: Z) => enumOf(z, FINDING_STATUSES);

export const resourceSchema = (z: Z) =>
  z.object({
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
    apiVersion: z.string().optional(),
  });

export const remediationSchema = (z: Z) =>
  z
    .object({
      summary: z.string(),
      command: z.string().optional(),
      snippet: z.string().optional(),
    })
    .passthrough();

export const findingSchema = (z: Z) =>
  z
    .object({
      ruleId: z.string(),
      baselineRef: z.string(),
      category: z.string(),
      severity: severitySchema(z),
      status: statusSchema(z),
      cluster: z.string().optional(),
      resource: resourceSchema(z),
      message: z.string(),
      evidence: z
        .array(
          z.object({
            path: z.string(),
            value: z.unknown().optional(),
            expected: z.string().optional(),
          }),
        )
        .optional(),
      waiver: z
        .object({
          ruleId: z.string(),
          reason: z.string(),
          expires: z.string().optional(),
          owner: z.string().optional(),
          source: z.string(),
          expired: z.boolean().optional(),
        })
        .optional(),
    })
    .passthrough();
