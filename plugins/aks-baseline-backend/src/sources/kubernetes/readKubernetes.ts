/*
 * Reads every kind the rules need from one cluster's Kubernetes API with
 * @kubernetes/client-node: each kind ONCE across all namespaces, paged with
 * limit/continue, never per namespace, never Secrets.
 *
 * - CustomResourceDefinitions are listed first (metadata only): a CRD-backed
 *   kind whose CRD is not installed is `absent` and not requested.
 * - Namespaces and the workload kinds are the core of every result: any
 *   failure listing one of them (403 and 404 included) fails the cluster,
 *   so that its last good result is kept rather than replaced by one that
 *   judged nothing (a wrong URL answers 404 to every list).
 * - 403 or 404 on another kind: recorded in coverage.unreadable (its rules
 *   are `unknown`), the read goes on. A 404 makes a CRD kind `absent` only
 *   when discovery says its group/version does not serve it.
 * - 401, 5xx, timeouts, DNS/connection/TLS failures fail the whole cluster.
 * - 429: waits Retry-After (bounded retries, the signal respected), then
 *   fails with retryAfterSeconds.
 * - 410 (continue token expired): the kind is listed again from the start, once.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  CustomObjectsApi,
  RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';
import {
  crdName,
  kindsToRead,
  KindTable,
  readKubernetesDocuments,
  RULE_CATALOG,
  SnapshotReadError,
  type KindCoverage,
  type KindInfo,
  type KubeObject,
  type RuleDefinition,
} from '@aks-baseline/plugin-aks-baseline-node';
import { CORE_KINDS } from '../coreKinds';
import { ClusterReadError } from '@aks-baseline/plugin-aks-baseline-node';
import {
  describeStatus,
  messageOf,
  retryAfterOf,
  statusOf,
  toClusterReadError,
} from '../errors';
import { requestSignal, sleep, SourceTuning } from '../tuning';
import { loadKubernetesClient } from './loadClient';

/** Where the API server is and how to trust it. */
export interface KubernetesEndpoint {
  /** `https://host:443`; never taken from a request. */
  url: string;
  /** Base64 PEM, as in a kubeconfig's `certificate-authority-data`. */
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
}

/** How each request authenticates: a bearer token, already checked (token.ts). */
export type KubernetesCredential = { type: 'token'; token: string };

export interface ReadKubernetesOptions {
  cluster: string;
  endpoint: KubernetesEndpoint;
  credential: KubernetesCredential;
  signal: AbortSignal;
  logger: LoggerService;
  tuning: SourceTuning;
  /** The kinds to list: those of the plugin's rules (`kindsToList(rules)`). */
  kinds: readonly KindInfo[];
}

export interface KubernetesObjectsRead {
  objects: KubeObject[];
  /** The custom resources among the kinds listed, as a snapshot records them. */
  customKinds: KindInfo[];
  ignoredKinds: Record<string, number>;
  coverage: KindCoverage;
  /** HTTP requests made, for logs and tests. */
  requests: number;
}

const CRD_KIND = 'CustomResourceDefinition';
/** Ask for metadata only: the CRD schemas can weigh megabytes. */
const METADATA_ONLY_ACCEPT =
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

/** What to do about a core kind that could not be listed. */
function coreKindHint(status: number | undefined): string {
  if (status === 403) {
    return 'grant get and list on it (deploy/kubernetes/clusterrole.yaml)';
  }
  if (status === 404) {
    return 'check kubernetes.url (the API server, without a path unless a proxy needs one)';
  }
  return 'the next run tries again';
}

/** The kinds the rules read (custom resources included), never Secrets. */
export function kindsToList(
  rules: readonly RuleDefinition[] = RULE_CATALOG,
): readonly KindInfo[] {
  return kindsToRead(rules);
}

/** `/api/v1/pods`, `/apis/apps/v1/deployments`. */
export function listPath(info: KindInfo): string {
  return info.group
    ? `/apis/${info.group}/${info.version}/${info.plural}`
    : `/api/${info.version}/${info.plural}`;
}

function resourceName(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

type KindOutcome =
  | { ok: true; objects: KubeObject[]; ignoredKinds: Record<string, number> }
  | { ok: false; status: number; reason: string };

interface ListBody {
  items: unknown[];
  continueToken?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from(
    { length: Math.max(1, Math.min(limit, items.length)) },
    async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    },
  );
  await Promise.all(workers);
}

export async function readKubernetesObjects(
  options: ReadKubernetesOptions,
): Promise<KubernetesObjectsRead> {
  const { cluster, endpoint, credential, logger, tuning } = options;
  const secrets = [credential.token];
  const k8s = await loadKubernetesClient();

  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster,
        server: endpoint.url.replace(/\/+$/, ''),
        caData: endpoint.caData,
        caFile: endpoint.caFile,
        skipTLSVerify: endpoint.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: 'aks-baseline', token: credential.token }],
    contexts: [{ name: 'aks-baseline', cluster, user: 'aks-baseline' }],
    currentContext: 'aks-baseline',
  });
  const api: CustomObjectsApi = kc.makeApiClient(k8s.CustomObjectsApi);
  // The object-parameter API takes the generator's observable middleware.
  const of = <T>(value: T) => new k8s.Observable<T>(Promise.resolve(value));

  const kinds = options.kinds;
  // Keeps the objects of the custom resources among them.
  const kindTable = new KindTable(kinds);

  // Siblings stop as soon as one list fails the cluster.
  const controller = new AbortController();
  const signal = AbortSignal.any([options.signal, controller.signal]);
  let requests = 0;

  const fatal = (error: unknown, info: KindInfo) =>
    toClusterReadError(error, {
      cluster,
      action: `listing ${resourceName(info)}`,
      service: 'Kubernetes API',
      signal: options.signal,
      secrets,
    });

  /** The core group's path fix-up, the Accept header and the signal. */
  const requestOptions = (
    info: KindInfo,
    perRequest: AbortSignal,
    metadataOnly = false,
  ) => ({
    middleware: [
      {
        pre: (context: RequestContext) => {
          if (!info.group) {
            context.setUrl(context.getUrl().replace('/apis//', '/api/'));
          }
          if (metadataOnly) {
            context.setHeaderParam('Accept', METADATA_ONLY_ACCEPT);
          }
          context.setSignal(perRequest);
          return of(context);
        },
        post: (response: ResponseContext) => of(response),
      },
    ],
    middlewareMergeStrategy: 'append' as const,
  });

  /**
   * Whether discovery (`GET /apis/<group>/<version>`) serves the kind:
   * false only when it says so (404 on the group/version, or the resource
   * missing from it); undefined when it cannot tell.
   */
  const served = async (info: KindInfo): Promise<boolean | undefined> => {
    requests++;
    try {
      const list: unknown = await api.getAPIResources(
        { group: info.group, version: info.version },
        requestOptions(info, requestSignal(signal, tuning.requestTimeoutMs)),
      );
      const resources = isObject(list) ? list.resources : undefined;
      if (!Array.isArray(resources)) return undefined;
      return resources.some(r => isObject(r) && r.name === info.plural);
    } catch (error) {
      return statusOf(error) === 404 ? false : undefined;
    }
  };

  /** One page, with 429 retries. Throws the SDK's error otherwise. */
  const listPage = async (
    info: KindInfo,
    continueToken: string | undefined,
    metadataOnly: boolean,
  ): Promise<ListBody> => {
    for (let attempt = 0; ; attempt++) {
      const perRequest = requestSignal(signal, tuning.requestTimeoutMs);
      requests++;
      try {
        const body: unknown = await api.listClusterCustomObject(
          {
            // The core group has no name: its path is fixed up below.
            group: info.group,
            version: info.version,
            plural: info.plural,
            limit: tuning.pageSize,
            _continue: continueToken,
          },
          requestOptions(info, perRequest, metadataOnly),
        );
        if (
          !isObject(body) ||
          (body.items !== undefined &&
            body.items !== null &&
            !Array.isArray(body.items))
        ) {
          throw new ClusterReadError(
            `Kubernetes API answered listing ${resourceName(
              info,
            )} with something that is not a List`,
            { cluster, code: 'invalid-response' },
          );
        }
        const metadata = isObject(body.metadata) ? body.metadata : {};
        const next =
          typeof metadata.continue === 'string' && metadata.continue
            ? metadata.continue
            : undefined;
        return { items: (body.items as unknown[]) ?? [], continueToken: next };
      } catch (error) {
        if (statusOf(error) !== 429 || attempt >= tuning.maxRetries) {
          throw error;
        }
        const wait = retryAfterOf(error) ?? 1;
        if (wait > tuning.maxRetryAfterSeconds) throw error;
        logger.debug(
          `Cluster ${cluster}: Kubernetes API throttled listing ${resourceName(
            info,
          )}; retrying in ${wait}s`,
        );
        await sleep(wait * 1000, signal);
      }
    }
  };

  /** Every page of one kind. Returns a per-kind failure or throws a fatal one. */
  const listKind = async (
    info: KindInfo,
    metadataOnly = false,
  ): Promise<KindOutcome> => {
    const path = listPath(info);
    let restarted = false;
    for (;;) {
      const objects: KubeObject[] = [];
      const ignoredKinds: Record<string, number> = {};
      let continueToken: string | undefined;
      try {
        do {
          const page = await listPage(info, continueToken, metadataOnly);
          const items = metadataOnly
            ? page.items.map(item => ({
                apiVersion: info.apiVersion,
                kind: info.kind,
                metadata: isObject(item) ? item.metadata : undefined,
              }))
            : page.items;
          const read = readKubernetesDocuments(
            [{ apiVersion: info.apiVersion, kind: `${info.kind}List`, items }],
            `GET ${path}`,
            kindTable,
          );
          for (const o of read.objects) objects.push(o);
          for (const [k, n] of Object.entries(read.ignoredKinds)) {
            ignoredKinds[k] = (ignoredKinds[k] ?? 0) + n;
          }
          continueToken = page.continueToken;
        } while (continueToken);
        return { ok: true, objects, ignoredKinds };
      } catch (error) {
        if (error instanceof ClusterReadError) throw error;
        const status = statusOf(error);
        if (status === 410 && !restarted) {
          // The continue token expired mid-list: start over, once.
          restarted = true;
          continue;
        }
        if (
          CORE_KINDS.has(info.kind) &&
          (status === 403 || status === 404 || status === 410)
        ) {
          const base = fatal(error, info);
          throw new ClusterReadError(
            `${base.reason}: no result without ${info.plural}; ${coreKindHint(
              status,
            )}`,
            { cluster, code: base.code, status, cause: error },
          );
        }
        if (status === 403 || status === 404 || status === 410) {
          return {
            ok: false,
            status,
            reason:
              status === 403
                ? `forbidden (403): the identity cannot list ${resourceName(
                    info,
                  )}; grant get and list on it (deploy/kubernetes/clusterrole.yaml)`
                : `${describeStatus(status)} listing ${resourceName(info)}`,
          };
        }
        if (error instanceof SnapshotReadError) {
          throw new ClusterReadError(
            `Kubernetes API returned a malformed object: ${messageOf(error)}`,
            { cluster, code: 'invalid-response', cause: error },
          );
        }
        throw fatal(error, info);
      }
    }
  };

  const unreadable: Record<string, string> = {};
  const absent = new Set<string>();
  const results = new Map<string, KindOutcome>();
  let firstFatal: unknown;

  const run = async (info: KindInfo, metadataOnly = false) => {
    if (firstFatal) return;
    try {
      results.set(info.kind, await listKind(info, metadataOnly));
    } catch (error) {
      if (!firstFatal) {
        firstFatal = error;
        controller.abort();
      }
    }
  };

  const crdInfo = kinds.find(info => info.kind === CRD_KIND);
  let installedCrds: Set<string> | undefined;
  if (crdInfo) {
    await run(crdInfo, true);
    const crds = results.get(CRD_KIND);
    if (crds?.ok) {
      installedCrds = new Set(crds.objects.map(o => o.metadata.name));
    }
  }
  const toList: KindInfo[] = [];
  for (const info of kinds) {
    if (info.kind === CRD_KIND) continue;
    if (info.crd && installedCrds && !installedCrds.has(crdName(info))) {
      absent.add(info.kind);
    } else {
      toList.push(info);
    }
  }
  if (!firstFatal) {
    await pool(toList, tuning.listConcurrency, info => run(info));
  }
  if (firstFatal) {
    throw firstFatal instanceof ClusterReadError
      ? firstFatal
      : toClusterReadError(firstFatal, {
          cluster,
          action: 'listing Kubernetes objects',
          service: 'Kubernetes API',
          signal: options.signal,
          secrets,
        });
  }

  const objects: KubeObject[] = [];
  const ignoredKinds: Record<string, number> = {};
  for (const info of kinds) {
    const outcome = results.get(info.kind);
    if (!outcome) continue;
    if (outcome.ok) {
      for (const o of outcome.objects) objects.push(o);
      for (const [k, n] of Object.entries(outcome.ignoredKinds)) {
        ignoredKinds[k] = (ignoredKinds[k] ?? 0) + n;
      }
      continue;
    }
    if (outcome.status === 404 && info.crd) {
      const isServed = await served(info);
      if (isServed === false) {
        absent.add(info.kind);
        continue;
      }
      unreadable[info.kind] = `${outcome.reason}, ${
        isServed
          ? `yet discovery serves ${info.plural} in ${info.apiVersion}`
          : `and discovery could not tell whether ${info.apiVersion} serves it`
      }`;
      continue;
    }
    unreadable[info.kind] = outcome.reason;
  }
  for (const [kind, reason] of Object.entries(unreadable)) {
    logger.warn(`Cluster ${cluster}: ${kind} unreadable: ${reason}`);
  }
  logger.info(
    `Cluster ${cluster}: read ${objects.length} Kubernetes objects in ${requests} requests` +
      ` (${Object.keys(unreadable).length} kinds unreadable, ${
        absent.size
      } CRD kinds not installed)`,
  );
  return {
    objects,
    customKinds: kindTable.customKinds(),
    ignoredKinds,
    coverage: {
      mode: 'cluster',
      unreadable,
      absentKinds: [...absent].sort(),
    },
    requests,
  };
}
