/*
 * GET /namespaces: the namespaces of the clusters the caller may see, as
 * their last good evaluation saw them, with their labels. What the catalog
 * module makes `kubernetes-namespace` Resources of.
 */
import express from 'express';
import Router from 'express-promise-router';
import type {
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { FindingsAccess } from '../access/FindingsAccess';
import { tokenKey } from '../access/AccessCache';
import { ClusterNamespace, StoredNamespaces } from './StoredNamespaces';

/** `GET /namespaces` */
export interface NamespacesResponse {
  items: ClusterNamespace[];
}

export interface NamespacesRouterOptions {
  database: DatabaseService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  logger: LoggerService;
}

export async function createNamespacesRouter(
  options: NamespacesRouterOptions,
): Promise<express.Router> {
  const namespaces = new StoredNamespaces(await options.database.getClient());
  const access = new FindingsAccess({
    permissions: options.permissions,
    catalog: options.catalog,
    logger: options.logger,
  });
  const router = Router();

  router.get('/namespaces', async (req, res) => {
    const { cluster, ...rest } = req.query;
    for (const name of Object.keys(rest)) {
      throw new InputError(`Unknown query parameter ${name}`);
    }
    if (
      cluster !== undefined &&
      (typeof cluster !== 'string' || cluster.trim() === '')
    ) {
      throw new InputError('cluster must be a single non-empty value');
    }
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const scope = await access.scope(
      credentials,
      tokenKey(req.headers.authorization),
    );
    let only: ReadonlySet<string> | undefined = scope.all
      ? undefined
      : scope.clusters;
    if (cluster !== undefined) {
      only = only && !only.has(cluster) ? new Set() : new Set([cluster]);
    }
    const body: NamespacesResponse = { items: await namespaces.list(only) };
    res.json(body);
  });

  return router;
}
