/*
 * Zod input schemas shared by the create and render actions. The scaffolder
 * turns them into JSON schema for the task runner; the handlers parse the
 * input again with the same schemas, because an action called directly
 * (tests, other runners) gets no validation from the runner.
 */
import { InputError } from '@backstage/errors';
import { z as zod } from 'zod/v3';

/** The zod the scaffolder hands to schema callbacks. */
export type Z = typeof zod;

const RESOURCE_MAP_DESCRIPTION =
  'Resource name → Kubernetes quantity, e.g. { cpu: "500m", memory: "512Mi" }';

function resourceMap(z: Z) {
  return z
    .record(z.union([z.string(), z.number()]))
    .describe(RESOURCE_MAP_DESCRIPTION)
    .optional();
}

/**
 * How manifests read from the workspace are completed and judged (the
 * evaluate and fix actions): the namespace of objects that name none, and
 * the profile.
 */
export const manifestDefaultsFields = {
  namespace: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'Namespace for namespaced objects that name none (as kubectl apply -n); default "default"',
      ),
  environment: (z: Z) =>
    z
      .enum(['production', 'non-production'])
      .optional()
      .describe(
        'Profile to evaluate with; default from Namespace labels, else non-production',
      ),
};

/** The fields of a namespace request (create and render). */
export const namespaceInputFields = {
  cluster: (z: Z) =>
    z
      .string()
      .min(1)
      .describe(
        'The cluster by its configured name (aksBaseline.scaffolder.clusters[].name); never a URL',
      ),
  namespace: (z: Z) =>
    z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
        message:
          'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit',
      })
      .describe('Namespace name (DNS-1123 label)'),
  owner: (z: Z) =>
    z
      .string()
      .min(1)
      .describe('Owner entity ref, e.g. group:default/team-payments'),
  environment: (z: Z) =>
    z
      .enum(['production', 'non-production'])
      .describe('production forces the restricted Pod Security Standard'),
  podSecurity: (z: Z) =>
    z
      .enum(['restricted', 'baseline'])
      .optional()
      .describe(
        'Pod Security Standard for enforce/audit/warn; default restricted in production, baseline elsewhere',
      ),
  quota: (z: Z) =>
    z
      .union([
        z.string().describe('A quota preset: small, medium or large'),
        z
          .object({
            'requests.cpu': z.union([z.string(), z.number()]),
            'requests.memory': z.union([z.string(), z.number()]),
            'limits.cpu': z.union([z.string(), z.number()]),
            'limits.memory': z.union([z.string(), z.number()]),
            persistentvolumeclaims: z.union([z.string(), z.number()]),
            'services.loadbalancers': z.union([z.string(), z.number()]),
          })
          .strict()
          .describe('Explicit ResourceQuota hard limits'),
      ])
      .optional()
      .describe('A preset name (default small) or explicit quantities'),
  limitRange: (z: Z) =>
    z
      .object({
        default: resourceMap(z),
        defaultRequest: resourceMap(z),
        min: resourceMap(z),
        max: resourceMap(z),
        podMax: resourceMap(z),
      })
      .strict()
      .optional()
      .describe('Overrides of the configured LimitRange defaults'),
  workloadIdentity: (z: Z) =>
    z
      .object({
        clientId: z
          .string()
          .uuid({ message: 'must be a UUID (the identity’s client id)' })
          .describe(
            'Client id of the managed identity or app registration the workloads use',
          ),
        serviceAccountName: z
          .string()
          .optional()
          .describe('ServiceAccount name; default "workload"'),
      })
      .describe('Workload Identity ServiceAccount'),
  teamGroup: (z: Z) =>
    z
      .string()
      .min(1)
      .describe(
        'Microsoft Entra ID group (object id) bound to the team role in the namespace',
      ),
  role: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'ClusterRole bound to the team group; default from aksBaseline.scaffolder.teamRole (edit)',
      ),
  labels: (z: Z) =>
    z.record(z.string()).optional().describe('Extra labels on the Namespace'),
};

type FieldSchemas = Record<string, (z: Z) => zod.ZodTypeAny>;

/**
 * Parses an action input with the same zod fields the action declares;
 * an InputError naming each invalid field otherwise.
 */
export function parseInput<T>(
  fields: FieldSchemas,
  input: unknown,
  actionId: string,
): T {
  const shape: Record<string, zod.ZodTypeAny> = {};
  for (const [key, field] of Object.entries(fields)) shape[key] = field(zod);
  // Strict, like the JSON schema the runner validates with: a field the
  // action does not know (a token, a URL) is an error, not silently dropped.
  const result = zod
    .object(shape)
    .strict()
    .safeParse(input ?? {});
  if (result.success) return result.data as T;
  const lines = result.error.issues.map(
    issue => `${issue.path.join('.') || '(input)'}: ${issue.message}`,
  );
  throw new InputError(
    `Invalid input to ${actionId}:\n- ${lines.join('\n- ')}`,
  );
}
