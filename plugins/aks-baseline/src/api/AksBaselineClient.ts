import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ClusterDetailResponse,
  ClustersResponse,
  EntityHistoryResponse,
  EntityScoreNotFoundReason,
  EntityScoreResponse,
  EvaluationAccepted,
  EvaluationRequest,
  EvaluationRunsResponse,
  FindingsPage,
  FindingsQuery,
  NeverEvaluatedCluster,
  OverviewResponse,
  RuleEntitiesResponse,
  PassedChecksResponse,
  ManualChecklistResponse,
  RollupResponse,
  RulesResponse,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AksBaselineApi,
  AuditExportFormat,
  ClusterUpgradeReadiness,
  EntityScoreResult,
} from './AksBaselineApi';

/** The backend plugin's id, as `discoveryApi.getBaseUrl` knows it. */
const PLUGIN_ID = 'aks-baseline';

/** How long the rule catalog is kept; it only changes with a redeploy. */
const RULES_TTL_MS = 5 * 60 * 1000;

type Query = Record<string, string | number | string[] | undefined>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The query string of a findings page; empty lists and text are left out. */
function findingsQuery(query: FindingsQuery = {}): Query {
  return {
    severity: query.severity,
    status: query.status,
    category: query.category,
    rule: query.rule,
    kind: query.kind,
    // `-` stands for cluster-scoped objects (no namespace).
    namespace: query.namespace?.map(n => (n === '' ? '-' : n)),
    cluster: query.cluster,
    q: query.q?.trim() || undefined,
    limit: query.limit,
    cursor: query.cursor,
  };
}

function entityPath(ref: CompoundEntityRef): string {
  return [
    'entities',
    encodeURIComponent(ref.namespace.toLocaleLowerCase('en-US')),
    encodeURIComponent(ref.kind.toLocaleLowerCase('en-US')),
    encodeURIComponent(ref.name),
  ].join('/');
}

/**
 * Client for the AKS Baseline backend (`/api/aks-baseline`). Calls go
 * through `fetchApi`, which adds the user's Backstage token; failures throw
 * `ResponseError` with the backend's error body.
 *
 * @public
 */
export class AksBaselineClient implements AksBaselineApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private rules?: { at: number; promise: Promise<RulesResponse> };

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getRules(): Promise<RulesResponse> {
    const now = Date.now();
    if (!this.rules || now - this.rules.at > RULES_TTL_MS) {
      const promise = this.get<RulesResponse>('rules');
      promise.catch(() => {
        if (this.rules?.promise === promise) this.rules = undefined;
      });
      this.rules = { at: now, promise };
    }
    return this.rules.promise;
  }

  getClusters(): Promise<ClustersResponse> {
    return this.get('clusters');
  }

  getCluster(name: string): Promise<ClusterDetailResponse> {
    return this.get(`clusters/${encodeURIComponent(name)}`);
  }

  getClusterFindings(
    name: string,
    query?: FindingsQuery,
  ): Promise<FindingsPage> {
    return this.get(
      `clusters/${encodeURIComponent(name)}/findings`,
      findingsQuery(query),
    );
  }

  getEntityFindings(
    ref: CompoundEntityRef,
    query?: FindingsQuery,
  ): Promise<FindingsPage> {
    return this.get(`${entityPath(ref)}/findings`, findingsQuery(query));
  }

  async getEntityScore(ref: CompoundEntityRef): Promise<EntityScoreResult> {
    const response = await this.request(`${entityPath(ref)}/score`);
    if (response.status === 404) {
      const error = await ResponseError.fromResponse(response);
      const body = error.body?.error as
        | { reason?: unknown; clusters?: unknown }
        | undefined;
      const reason: EntityScoreNotFoundReason =
        body?.reason === 'no-workloads' || body?.reason === 'never-evaluated'
          ? body.reason
          : 'not-evaluated';
      return Array.isArray(body?.clusters)
        ? {
            evaluated: false,
            reason,
            clusters: body!.clusters as NeverEvaluatedCluster[],
          }
        : { evaluated: false, reason };
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return {
      evaluated: true,
      score: (await response.json()) as EntityScoreResponse,
    };
  }

  async getEntityHistory(
    ref: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<EntityHistoryResponse> {
    const response = await this.request(`${entityPath(ref)}/history`, {
      limit: options?.limit,
    });
    // No history yet is not an error for a trend line.
    if (response.status === 404) return { items: [] };
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as EntityHistoryResponse;
  }

  getClusterHistory(
    name: string,
    options?: { limit?: number },
  ): Promise<EntityHistoryResponse> {
    return this.get(`clusters/${encodeURIComponent(name)}/history`, {
      limit: options?.limit,
    });
  }

  getRollup(
    query: { owner: string } | { entities: string[] },
  ): Promise<RollupResponse> {
    return this.get(
      'rollup',
      'owner' in query ? { owner: query.owner } : { entity: query.entities },
    );
  }

  getOverview(options?: { owner?: string }): Promise<OverviewResponse> {
    return this.get('overview', { owner: options?.owner || undefined });
  }

  getRuleEntities(
    ruleId: string,
    options?: { owner?: string },
  ): Promise<RuleEntitiesResponse> {
    return this.get(`rules/${encodeURIComponent(ruleId)}/entities`, {
      owner: options?.owner || undefined,
    });
  }

  getPassedChecks(
    of: { cluster: string } | { entity: CompoundEntityRef },
  ): Promise<PassedChecksResponse> {
    return this.get(
      'cluster' in of
        ? `clusters/${encodeURIComponent(of.cluster)}/passed`
        : `${entityPath(of.entity)}/passed`,
    );
  }

  getManualChecklist(
    entity: CompoundEntityRef,
  ): Promise<ManualChecklistResponse> {
    return this.get(`${entityPath(entity)}/manual`);
  }

  async setManualConfirmation(
    entity: CompoundEntityRef,
    ruleId: string,
    confirmed: boolean,
  ): Promise<ManualChecklistResponse> {
    const response = await this.request(
      `${entityPath(entity)}/manual/${encodeURIComponent(ruleId)}`,
      undefined,
      { method: confirmed ? 'PUT' : 'DELETE' },
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as ManualChecklistResponse;
  }

  getEvaluations(options?: {
    limit?: number;
    cluster?: string;
  }): Promise<EvaluationRunsResponse> {
    return this.get('evaluations', {
      limit: options?.limit,
      cluster: options?.cluster,
    });
  }

  getUpgradeReadiness(cluster: string): Promise<ClusterUpgradeReadiness> {
    return this.get(
      `clusters/${encodeURIComponent(cluster)}/upgrade-readiness`,
    );
  }

  getClusterExport(
    cluster: string,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }> {
    return this.exportFile(
      `clusters/${encodeURIComponent(cluster)}/export`,
      format,
      cluster,
    );
  }

  getEntityExport(
    entity: CompoundEntityRef,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }> {
    return this.exportFile(`${entityPath(entity)}/export`, format, entity.name);
  }

  getTeamExport(
    group: CompoundEntityRef,
    format: AuditExportFormat,
  ): Promise<{ blob: Blob; fileName: string }> {
    return this.exportFile(
      `groups/${encodeURIComponent(group.namespace)}/${encodeURIComponent(
        group.name,
      )}/export`,
      format,
      group.name,
    );
  }

  private async exportFile(
    path: string,
    format: AuditExportFormat,
    subject: string,
  ): Promise<{ blob: Blob; fileName: string }> {
    const response = await this.request(path, { format });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    // The backend names the file (Content-Disposition); else a name of ours.
    const disposition = response.headers.get('content-disposition') ?? '';
    const named = /filename="?([^";]+)"?/.exec(disposition)?.[1];
    return {
      blob: await response.blob(),
      fileName: named ?? `aks-baseline-${subject}.${format}`,
    };
  }

  async runEvaluation(
    request: EvaluationRequest = {},
  ): Promise<EvaluationAccepted> {
    const response = await this.request('evaluations', undefined, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as EvaluationAccepted;
  }

  private async get<T>(path: string, query?: Query): Promise<T> {
    const response = await this.request(path, query);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  private async request(
    path: string,
    query?: Query,
    init?: RequestInit,
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    return this.fetchApi.fetch(`${baseUrl}/${path}${queryString(query)}`, init);
  }
}
