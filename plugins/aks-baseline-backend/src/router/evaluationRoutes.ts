/*
 * The evaluation routes: the latest runs (of the clusters the caller may
 * see) and starting an evaluation, which needs aks-baseline.evaluation.run
 * and is not limited to the clusters the caller may see.
 */
import express from 'express';
import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EvaluationAccepted,
  EvaluationRunsResponse,
  aksBaselineEvaluationRunPermission,
} from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import type { FindingsScope } from './access/FindingsAccess';
import { limitParam } from './findingsQuery';
import { singleParam } from './params';

/** What the router needs from the evaluation side. */
export interface EvaluationTriggers {
  hasCluster(name: string): boolean;
  clusterNames(): string[];
  /**
   * Starts every cluster, or joins the evaluation of all going on (on any
   * replica). `requestedBy` is recorded with the runs.
   */
  triggerAll(requestedBy?: string): Promise<{ alreadyRunning: boolean }>;
  /** Starts one cluster, or joins its run going on (on any replica). */
  triggerCluster(
    name: string,
    requestedBy?: string,
  ): Promise<{ runId: string; alreadyRunning: boolean }>;
}

/** Who asks: a user's entity ref, or a service's subject. */
function requesterOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | undefined;
  if (principal?.type === 'user') return principal.userEntityRef;
  if (principal?.type === 'service') return principal.subject;
  return undefined;
}

export function addEvaluationRoutes(
  router: express.Router,
  options: {
    store: AksBaselineStore;
    evaluations: EvaluationTriggers;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    logger: LoggerService;
    scopeOf: (req: express.Request) => Promise<FindingsScope>;
  },
): void {
  const { store, evaluations, httpAuth, permissions, logger } = options;
  // Only POST /evaluations has a body.
  const jsonBody = express.json({ limit: '16kb' });

  router.get('/evaluations', async (req, res) => {
    const limit = limitParam(req.query.limit, 50, 500);
    const cluster = singleParam(req.query.cluster, 'cluster');
    const scope = await options.scopeOf(req);
    const body: EvaluationRunsResponse = {
      items: await store.listRuns({
        limit,
        ...(cluster ? { cluster } : {}),
        ...(scope.all ? {} : { only: scope.clusters }),
      }),
    };
    res.json(body);
  });

  router.post('/evaluations', jsonBody, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: aksBaselineEvaluationRunPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You are not allowed to start an AKS baseline evaluation',
      );
    }
    const requestBody = req.body ?? {};
    if (typeof requestBody !== 'object' || Array.isArray(requestBody)) {
      throw new InputError('The body must be a JSON object');
    }
    const cluster = (requestBody as { cluster?: unknown }).cluster;
    if (cluster !== undefined && (typeof cluster !== 'string' || !cluster)) {
      throw new InputError('cluster must be a non-empty string');
    }
    let body: EvaluationAccepted;
    if (cluster) {
      // Only configured names are accepted: nothing from the request reaches a URL.
      if (!evaluations.hasCluster(cluster)) {
        throw new NotFoundError(`No configured cluster named ${cluster}`);
      }
      const started = await evaluations.triggerCluster(
        cluster,
        requesterOf(credentials),
      );
      body = {
        accepted: true,
        clusters: [cluster],
        runId: started.runId,
        ...(started.alreadyRunning ? { alreadyRunning: true } : {}),
      };
    } else {
      const started = await evaluations.triggerAll(requesterOf(credentials));
      body = {
        accepted: true,
        clusters: evaluations.clusterNames(),
        ...(started.alreadyRunning ? { alreadyRunning: true } : {}),
      };
    }
    logger.info(
      `Evaluation of ${cluster ?? 'all clusters'} requested${
        body.alreadyRunning ? ' (already running)' : ''
      }`,
    );
    res.status(202).json(body);
  });
}
