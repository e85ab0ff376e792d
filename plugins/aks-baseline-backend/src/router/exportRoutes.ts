/*
 * GET /clusters/:name/export, GET /entities/:namespace/:kind/:name/export and
 * GET /groups/:namespace/:name/export (?format=csv|html): the audit export
 * of a cluster's, an entity's or a team's last
 * result, written by the same code as `aks-baseline scan --format csv|html`
 * (auditCsv, auditHtml in -node). Who may read the findings may export
 * them: what the caller may not see is answered as not there. The stored
 * result counts passed checks per cluster, not per subject: they are one
 * `pass` row for the cluster.
 */
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
import type { PageRequest, StoredPage } from '../database/findingsTable';
import {
  limitToClusters,
  visibleClustersOf,
} from '../service/answers/entityScore';
import { singleParam } from './params';
import type { FindingsAccessOptions } from './findingsAccessOptions';

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
  options: FindingsAccessOptions,
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

  /** An entity's findings and parts on the clusters the caller may see. */
  async function visibleEntity(req: express.Request, entityRef: string) {
    const stored = (await options.mayShowEntity(req, entityRef))
      ? await store.getEntity(entityRef)
      : undefined;
    // Undefined: every cluster of the entity is visible.
    const visible = stored
      ? await visibleClustersOf(store, entityRef, options.mayShowCluster(req))
      : undefined;
    const request = limitToClusters({ filters: {} } as PageRequest, visible);
    if (!stored || !request) return undefined;
    return {
      stored,
      visible,
      findings: allFindings(
        r => store.entityFindingsPage(entityRef, r),
        request,
      ),
      parts: stored.clusters.filter(p => !visible || visible.has(p.cluster)),
    };
  }

  router.get('/entities/:namespace/:kind/:name/export', async (req, res) => {
    const format = formatOf(req.query);
    const entityRef = stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const entity = await visibleEntity(req, entityRef);
    if (!entity) throw new NotFoundError(`No evaluated entity ${entityRef}`);
    const { stored, visible } = entity;
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
      entity.findings,
      rulesById,
      entity.parts.flatMap(p =>
        passedChecks(
          { kind: 'ManagedCluster', name: p.cluster },
          p.summary.totals.passed,
        ),
      ),
      entityRef,
    );
  });

  // A team's export: the checks of every entity it owns that the caller may
  // see. A finding on an object two of its entities share (a cluster
  // Resource and a service on it) is listed once; passes are one row per
  // entity, since the engine counts them per subject without their rules.
  router.get('/groups/:namespace/:name/export', async (req, res) => {
    const format = formatOf(req.query);
    const owner = stringifyEntityRef({
      kind: 'group',
      namespace: req.params.namespace,
      name: req.params.name,
    });
    const seen = new Set<string>();
    const findings: Finding[] = [];
    const passes: AuditCheck[] = [];
    let evaluatedAt: string | undefined;
    for (const { entityRef } of await store.listEntities({ owner })) {
      const entity = await visibleEntity(req, entityRef);
      if (!entity) continue;
      const at = entity.stored.entity.evaluatedAt;
      if (!evaluatedAt || at > evaluatedAt) evaluatedAt = at;
      for await (const f of entity.findings) {
        const key = [f.ruleId, f.cluster, ...Object.values(f.resource)].join(
          '\u0000',
        );
        if (!seen.has(key)) findings.push(f);
        seen.add(key);
      }
      const ref = parseEntityRef(entityRef);
      const passed = entity.parts.reduce(
        (n, p) => n + p.summary.totals.passed,
        0,
      );
      passes.push(
        ...passedChecks(
          { kind: ref.kind, namespace: ref.namespace, name: ref.name },
          passed,
        ),
      );
    }
    if (!evaluatedAt) {
      throw new NotFoundError(`No evaluated entity owned by ${owner}`);
    }
    await send(
      res,
      format,
      // The team's score is the rollup's (GET /rollup?owner=): its entities'
      // checks pooled; the export lists the checks.
      { subject: `Team ${owner}`, evaluatedAt, score: null, grade: null },
      (async function* listed() {
        yield* findings;
      })(),
      rulesById,
      passes,
      owner,
    );
  });
}
