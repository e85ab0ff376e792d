/*
 * The score route's answer for one entity: its stored answer, or the 404
 * that says why there is none (never evaluated, its clusters never read,
 * nothing matched), naming only the clusters the caller may see.
 */
import { promisify } from 'util';
import { gunzip as gunzipCallback } from 'zlib';
import { NotFoundError } from '@backstage/errors';
import {
  EntityScoreNotFoundReason,
  NeverEvaluatedCluster,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { PageRequest } from '../../database/findingsTable';
import type { AksBaselineStore } from '../AksBaselineStore';
import { answerEtags, EntityAnswer } from './answerCache';
import type { EncodedAnswer } from './encoding';
import { answerForClusters } from './entityAnswer';
import { gzipAnswer } from './EntityAnswers';

const gunzip = promisify(gunzipCallback);

/** What the caller may see, for one request. */
export interface EntityVisibility {
  /** Whether the caller may see the entity's results at all. */
  entity: boolean;
  cluster: (name: string) => Promise<boolean>;
}

function entityNotFound(
  entityRef: string,
  reason: EntityScoreNotFoundReason,
  message: string,
  extra: { clusters?: NeverEvaluatedCluster[] } = {},
): NotFoundError {
  // `reason` (and `clusters`) end up in the error body as `error.reason`.
  return Object.assign(new NotFoundError(message), {
    reason,
    entityRef,
    ...extra,
  });
}

function notEvaluated(entityRef: string): NotFoundError {
  return entityNotFound(
    entityRef,
    'not-evaluated',
    `${entityRef} has not been evaluated: it has no Kubernetes annotation, or no evaluation has run since it was added`,
  );
}

/**
 * The 404 of an entity that was evaluated but has no score; it names only
 * clusters the caller may see.
 */
async function noScore(
  store: AksBaselineStore,
  entityRef: string,
  mayShow: (cluster: string) => Promise<boolean>,
): Promise<NotFoundError> {
  const coverage = await store.entityClusterCoverage(entityRef);
  const evaluated = coverage.evaluated;
  const neverEvaluated: NeverEvaluatedCluster[] = [];
  for (const cluster of coverage.neverEvaluated) {
    if (await mayShow(cluster.name)) neverEvaluated.push(cluster);
  }
  const failures = neverEvaluated
    .map(c => `${c.name}${c.lastError ? ` (${c.lastError})` : ''}`)
    .join('; ');
  const hidden = coverage.neverEvaluated.length - neverEvaluated.length;
  if (evaluated.length === 0 && coverage.neverEvaluated.length > 0) {
    const count = coverage.neverEvaluated.length;
    return entityNotFound(
      entityRef,
      'never-evaluated',
      `${entityRef} has no score: its cluster${
        count === 1 ? ' was' : 's were'
      } never evaluated successfully${failures ? `: ${failures}` : ''}${
        hidden > 0 && failures ? ' (and others)' : ''
      }`,
      { clusters: neverEvaluated },
    );
  }
  return entityNotFound(
    entityRef,
    'no-workloads',
    `No Kubernetes objects matched the annotations of ${entityRef} on any evaluated cluster${
      neverEvaluated.length > 0 ? ` (never evaluated: ${failures})` : ''
    }`,
    neverEvaluated.length > 0 ? { clusters: neverEvaluated } : {},
  );
}

/** The entity's score answer as the caller may see it; throws the 404. */
export async function entityScoreAnswer(
  store: AksBaselineStore,
  entityRef: string,
  visible: EntityVisibility,
): Promise<EncodedAnswer> {
  // An entity the caller may not see is one that was never evaluated.
  if (!visible.entity) throw notEvaluated(entityRef);
  const stored = await store.getEntityScoreResponse(entityRef);
  if (!stored) throw notEvaluated(entityRef);
  if (!stored.responseGzip) {
    throw await noScore(store, entityRef, visible.cluster);
  }
  return visibleAnswer(stored, visible.cluster);
}

/** The stored answer, or built again without the clusters the caller may not see. */
async function visibleAnswer(
  stored: Extract<EntityAnswer, { responseGzip: Buffer }>,
  mayShow: (cluster: string) => Promise<boolean>,
): Promise<EncodedAnswer> {
  const visible = new Set<string>();
  for (const cluster of stored.clusters) {
    if (await mayShow(cluster)) visible.add(cluster);
  }
  if (visible.size === stored.clusters.length) return stored;
  const whole = JSON.parse((await gunzip(stored.responseGzip)).toString());
  const responseGzip = gzipAnswer(
    JSON.stringify(answerForClusters(whole, visible)),
  );
  return { responseGzip, ...answerEtags(responseGzip) };
}

/**
 * The clusters of an entity's answer the caller may see, or undefined when
 * they may see every one: what its findings and history are limited to.
 */
export async function visibleClustersOf(
  store: AksBaselineStore,
  entityRef: string,
  mayShow: (cluster: string) => Promise<boolean>,
): Promise<ReadonlySet<string> | undefined> {
  const stored = await store.getEntityScoreResponse(entityRef);
  if (!stored?.responseGzip) return undefined;
  const visible = new Set<string>();
  for (const cluster of stored.clusters) {
    if (await mayShow(cluster)) visible.add(cluster);
  }
  return visible.size === stored.clusters.length ? undefined : visible;
}

/** A findings page request limited to `visible` clusters; undefined: nothing to find. */
export function limitToClusters(
  request: PageRequest,
  visible: ReadonlySet<string> | undefined,
): PageRequest | undefined {
  if (!visible) return request;
  const cluster = (request.filters.cluster ?? [...visible]).filter(c =>
    visible.has(c),
  );
  if (cluster.length === 0) return undefined;
  return { ...request, filters: { ...request.filters, cluster } };
}
