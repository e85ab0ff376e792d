/*
 * list-findings: the findings of an entity or of a cluster, filtered by
 * severity, category, rule and status, page by page: the REST API's
 * findings routes (the same page requests, the same visibility).
 */
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotFoundError } from '@backstage/errors';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import {
  limitToClusters,
  visibleClustersOf,
} from '../service/answers/entityScore';
import { findingsPageRequest, pageJson } from '../router/findingsQuery';
import { Slots } from '../router/slots';
import { entityRefInput } from './access';
import { CallerAccessFactory } from './types';
import {
  categorySchema,
  findingSchema,
  severitySchema,
  statusSchema,
} from './schemas';

/** Findings an action answers with at most, and by default. */
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 25;

export function registerFindingsAction(options: {
  actionsRegistry: ActionsRegistryService;
  store: AksBaselineStore;
  rulesById: ReadonlyMap<string, RuleInfo>;
  accessOf: CallerAccessFactory;
}) {
  const { store, rulesById, accessOf } = options;
  const pages = new Slots(2);
  options.actionsRegistry.register({
    name: 'list-findings',
    title: 'AKS Baseline findings of an entity or a cluster',
    description:
      'The AKS Baseline findings of a catalog entity (over its clusters) or of one AKS cluster, most severe first, filtered by severity, category, rule and status (default: failing only), with the object, message, evidence and waiver of each. Give exactly one of entityRef and cluster. Pages: pass nextCursor back as cursor. An entity the caller may not see has no findings; a cluster they may not see does not exist.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .optional()
            .describe('Entity reference, e.g. component:default/checkout-api'),
          cluster: z.string().optional().describe('Cluster name'),
          severity: z.array(severitySchema(z)).optional(),
          category: z.array(categorySchema(z)).optional(),
          rule: z
            .array(z.string())
            .optional()
            .describe('Rule ids, e.g. container-not-privileged'),
          status: z.array(statusSchema(z)).optional().describe('Default: fail'),
          limit: z.number().int().min(1).max(MAX_LIMIT).optional(),
          cursor: z.string().optional(),
        }),
      output: z =>
        z.object({
          items: z.array(findingSchema(z)),
          nextCursor: z.string().optional(),
          total: z
            .number()
            .optional()
            .describe('Findings matching the filters (first page only)'),
        }),
    },
    action: async ({ input, credentials }) => {
      if (Boolean(input.entityRef) === Boolean(input.cluster)) {
        throw new InputError('Give exactly one of entityRef and cluster');
      }
      const access = accessOf(credentials);
      const query: Record<string, string> = {
        status: (input.status ?? ['fail']).join(','),
        limit: String(input.limit ?? DEFAULT_LIMIT),
      };
      if (input.severity?.length) query.severity = input.severity.join(',');
      if (input.category?.length) query.category = input.category.join(',');
      if (input.rule?.length) query.rule = input.rule.join(',');
      if (input.cursor) query.cursor = input.cursor;

      let json: string;
      if (input.entityRef) {
        const entityRef = entityRefInput(input.entityRef);
        const request = findingsPageRequest(query, rulesById, {
          entity: true,
        });
        const visible =
          (await access.entity(entityRef)) &&
          limitToClusters(
            request,
            await visibleClustersOf(store, entityRef, access.cluster),
          );
        json = visible
          ? await pages.run(async () =>
              pageJson(await store.entityFindingsPage(entityRef, visible)),
            )
          : pageJson({
              bodies: [],
              ...(request.withTotal ? { total: 0 } : {}),
            });
      } else {
        const name = input.cluster!;
        const request = findingsPageRequest(query, rulesById, {
          entity: false,
        });
        if (
          !(await access.cluster(name)) ||
          !(await store.clusterExists(name))
        ) {
          throw new NotFoundError(`No cluster named ${name}`);
        }
        json = await pages.run(async () =>
          pageJson(await store.clusterFindingsPage(name, request)),
        );
      }
      return { output: JSON.parse(json) };
    },
  });
}
