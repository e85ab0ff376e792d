/*
 * The manual checklist of an entity (a service, or a cluster's Resource),
 * shared by everyone who may see it:
 * - GET /entities/:namespace/:kind/:name/manual: the items confirmed now and
 *   the latest changes; an entity the caller may not see has none;
 * - PUT (confirm) and DELETE (withdraw) .../manual/:ruleId: need
 *   aks-baseline.manual.confirm on the entity, and that the caller may see it.
 * A confirmation lasts `aksBaseline.manualChecks.confirmationTtl` (default
 * 90 days); it never changes a score.
 */
import express from 'express';
import Router from 'express-promise-router';
import type {
  BackstageCredentials,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { durationToMilliseconds } from '@backstage/types';
import {
  aksBaselineManualConfirmPermission,
  ManualChecklistResponse,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import { ManualConfirmationsRepository } from '../../database/ManualConfirmationsRepository';
import { FindingsAccess } from '../access/FindingsAccess';
import { requestAccess } from '../access/requestAccess';

const DEFAULT_TTL_DAYS = 90;
const HISTORY_SHOWN = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `aksBaseline.manualChecks.confirmationTtl` in milliseconds. */
export function confirmationTtlMs(config: Config): number {
  const key = 'aksBaseline.manualChecks.confirmationTtl';
  if (!config.has(key)) return DEFAULT_TTL_DAYS * DAY_MS;
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) throw new Error(`${key} must be a positive duration`);
  return ms;
}

function subjectOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? 'unknown';
}

export async function createManualChecklistRouter(options: {
  database: DatabaseService;
  config: Config;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
  rules: readonly RuleInfo[];
  now?: () => Date;
}): Promise<express.Router> {
  const { httpAuth, permissions } = options;
  const ttlMs = confirmationTtlMs(options.config);
  const repo = new ManualConfirmationsRepository(
    await options.database.getClient(),
    ttlMs,
  );
  const now = options.now ?? (() => new Date());
  const ruleIds = new Set(options.rules.map(r => r.id));
  const { mayShowEntity } = requestAccess(
    new FindingsAccess({
      permissions,
      catalog: options.catalog,
      logger: options.logger,
    }),
    httpAuth,
  );
  const ttlDays = Math.round((ttlMs / DAY_MS) * 100) / 100;
  const answer = async (
    entityRef: string,
    visible: boolean,
  ): Promise<ManualChecklistResponse> => ({
    confirmations: visible ? await repo.current(entityRef, now()) : [],
    history: visible ? await repo.history(entityRef, HISTORY_SHOWN) : [],
    ttlDays,
  });
  const router = Router();
  const path = '/entities/:namespace/:kind/:name/manual';
  const entityRefOf = (params: Record<string, string>) =>
    stringifyEntityRef({
      kind: params.kind,
      namespace: params.namespace,
      name: params.name,
    });

  router.get(path, async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = entityRefOf(req.params);
    res.json(await answer(entityRef, await mayShowEntity(req, entityRef)));
  });

  const change =
    (action: 'confirmed' | 'withdrawn') =>
    async (req: express.Request, res: express.Response) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const entityRef = entityRefOf(req.params);
      const ruleId = req.params.ruleId;
      if (!ruleIds.has(ruleId)) throw new InputError(`No rule ${ruleId}`);
      // An entity the caller may not see is not there.
      if (!(await mayShowEntity(req, entityRef))) {
        throw new NotFoundError(`No entity ${entityRef}`);
      }
      const [decision] = await permissions.authorize(
        [
          {
            permission: aksBaselineManualConfirmPermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You are not allowed to confirm checklist items of ${entityRef} (aks-baseline.manual.confirm)`,
        );
      }
      await repo.record({
        entityRef,
        ruleId,
        action,
        by: subjectOf(credentials),
        at: now(),
      });
      res.json(await answer(entityRef, true));
    };
  router.put(`${path}/:ruleId`, change('confirmed'));
  router.delete(`${path}/:ruleId`, change('withdrawn'));
  return router;
}
