/*
 * GET /clusters/:name/export and GET /entities/:namespace/:kind/:name/export
 * (?format=csv|html): the audit export of a cluster's or an entity's last
 * result, written by the same code as `aks-baseline scan --format csv|html`
 * (auditCsv, auditHtml in -node). Who may read the findings may export
 * them: what the caller may not see is answered as not there. The stored
 * result counts passed checks per cluster, not per subject: they are one
 * `pass` row for the cluster.
 */
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Finding,
  FINDINGS_PAGE_MAX_BYTES,
  FINDINGS_PAGE_MAX_LIMIT,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AuditCheck,
  auditCsv,
  AuditExport,
  auditHtml,
  findingCheck,
  passedChecks,
} from '@aks-baseline/plugin-aks-baseline-node';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import type { PageRequest, StoredPage } from '../database/findingsTable';
import {
  limitToClusters,
  visibleClustersOf,
} from '../service/answers/entityScore';
import { singleParam } from './params';

type ExportFormat = 'csv' | 'html';

function formatOf(query: Record<string, unknown>): ExportFormat {
  for (const name of Object.keys(query)) {
    if (name !== 'format') {
      throw new InputError(`Unknown query parameter ${name}; expected format`);
    }
  }
  const format = singleParam(query.format, 'format') ?? 'csv';
  if (format !== 'csv' && format !== 'html') {
    throw new InputError(`format must be csv or html, not ${format}`);
  }
  return format;
}

/** Every finding of the pages, in the findings routes' order. */
async function* allFindings(
  page: (request: PageRequest) => Promise<StoredPage>,
  base: PageRequest,
): AsyncGenerator<Finding> {
  let after: string | undefined;
  do {
    const result = await page({
      ...base,
      limit: FINDINGS_PAGE_MAX_LIMIT,
      maxBytes: FINDINGS_PAGE_MAX_BYTES,
      ...(after ? { after } : {}),
    });
    for (const body of result.bodies) yield JSON.parse(body) as Finding;
    after = result.next;
  } while (after);
}

function fileName(subject: string, format: ExportFormat): string {
  return `aks-baseline-${subject.replace(/[^A-Za-z0-9._-]+/g, '-')}.${format}`;
}

async function send(
  res: express.Response,
  format: ExportFormat,
  audit: Omit<AuditExport, 'checks'>,
  findings: AsyncIterable<Finding>,
  rulesById: ReadonlyMap<string, RuleInfo>,
  passes: AuditCheck[],
  name: string,
): Promise<void> {
  const checks: AuditCheck[] = [];
  for await (const f of findings) {
    checks.push(findingCheck(f, rulesById.get(f.ruleId)));
  }
  checks.push(...passes);
  const full: AuditExport = { ...audit, checks };
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${fileName(name, format)}"`,
  );
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8');
    res.send([...auditCsv(full)].join(''));
  } else {
    res.type('text/html; charset=utf-8');
    res.send(auditHtml(full));
  }
}

export function addExportRoutes(
  router: express.Router,
  options: {
    store: AksBaselineStore;
    rulesById: ReadonlyMap<string, RuleInfo>;
    mayShowCluster: (
      req: express.Request,
    ) => (cluster: string) => Promise<boolean>;
    mayShowEntity: (
      req: express.Request,
      entityRef: string,
    ) => Promise<boolean>;
  },
): void {
  const { store, rulesById } = options;

  router.get('/clusters/:name/export', async (req, res) => {
    const format = formatOf(req.query);
    const name = req.params.name;
    const cluster = (await options.mayShowCluster(req)(name))
      ? await store.getCluster(name)
      : undefined;
    if (!cluster) throw new NotFoundError(`No cluster named ${name}`);
    if (!cluster.evaluatedAt) {
      throw new NotFoundError(`Cluster ${name} has no evaluation yet`);
    }
    await send(
      res,
      format,
      {
        subject: `Cluster ${name}`,
        cluster: name,
        evaluatedAt: cluster.evaluatedAt,
        profile: cluster.profile,
        score: cluster.score,
        grade: cluster.grade,
      },
      allFindings(r => store.clusterFindingsPage(name, r), {
        filters: {},
      } as PageRequest),
      rulesById,
      passedChecks({ kind: 'ManagedCluster', name }, cluster.totals.passed),
      name,
    );
  });

  router.get('/entities/:namespace/:kind/:name/export', async (req, res) => {
    const format = formatOf(req.query);
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const stored = (await options.mayShowEntity(req, entityRef))
      ? await store.getEntity(entityRef)
      : undefined;
    // Undefined: every cluster of the entity is visible.
    const visible = stored
      ? await visibleClustersOf(store, entityRef, options.mayShowCluster(req))
      : undefined;
    const request = limitToClusters({ filters: {} } as PageRequest, visible);
    if (!stored || !request) {
      throw new NotFoundError(`No evaluated entity ${entityRef}`);
    }
    const parts = stored.clusters.filter(
      p => !visible || visible.has(p.cluster),
    );
    await send(
      res,
      format,
      {
        subject: `Entity ${entityRef}`,
        evaluatedAt: stored.entity.evaluatedAt,
        // The combined score counts clusters the caller may not see.
        score: visible ? null : stored.entity.summary.score,
        grade: visible ? null : stored.entity.summary.grade,
      },
      allFindings(r => store.entityFindingsPage(entityRef, r), request),
      rulesById,
      parts.flatMap(p =>
        passedChecks(
          { kind: 'ManagedCluster', name: p.cluster },
          p.summary.totals.passed,
        ),
      ),
      entityRef,
    );
  });
}
