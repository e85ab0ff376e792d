/*
 * A local fake of the fleet's APIs, run as a child process (fork) so that
 * serving does not share the benchmarked process's event loop:
 *
 * - Kubernetes API over http on 127.0.0.1, one cluster per path prefix
 *   (`/c/<cluster>/apis/apps/v1/deployments?limit=500&continue=...`): typed
 *   Lists as the API server returns them (`DeploymentList`, items without
 *   kind/apiVersion), paged with opaque continue tokens and
 *   remainingItemCount, gzip for bodies over 128 KiB when the client accepts
 *   it (as kube-apiserver does, level 1), metadata-only CRD lists
 *   (PartialObjectMetadataList), 401 without the bearer token, 404 for a
 *   kind whose CRD is not installed.
 * - Azure Resource Manager over https (certificate and key given by the
 *   parent), when `arm` is set: managed cluster, agent pools (two pages
 *   linked by nextLink), maintenance configurations, upgrade profile,
 *   available Kubernetes versions; ARM's error shape otherwise.
 *
 * Pages for the default `limit` are serialised (and compressed) before
 * "ready" is reported, so the measured run pays only for sending them.
 * Messages: parent -> { type: 'stats' } answers { type: 'stats', ... }.
 * The process exits when the parent goes away.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import {
  armDocuments,
  buildFleet,
  kubernetesVersions,
  RESOURCE_GROUP,
  SUBSCRIPTION,
} from './clusters.mjs';

const require = createRequire(import.meta.url);
const options = JSON.parse(process.argv[2] ?? '{}');
const {
  clusters: clusterCount = 50,
  objects = 2000,
  entities = 10000,
  templates = 10,
  pageSize = 500,
  token = 'bench-token',
  arm,
} = options;
const GZIP_MIN = 128 * 1024;

const { KNOWN_KINDS } = require('@aks-baseline/plugin-aks-baseline-node');

process.on('disconnect', () => process.exit(0));

const started = Date.now();
const fleet = buildFleet({
  clusters: clusterCount,
  objects,
  entities,
  templates,
});

const INSTALLED_CRDS = ['schedules.velero.io'];
const crdName = info => `${info.plural}.${info.group}`;
const byPath = new Map();
for (const info of KNOWN_KINDS) {
  const path = info.group
    ? `/apis/${info.group}/${info.version}/${info.plural}`
    : `/api/${info.version}/${info.plural}`;
  byPath.set(path, info);
}

function crdObject(name) {
  const [plural, ...group] = name.split('.');
  const info = KNOWN_KINDS.find(k => k.crd && crdName(k) === name);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name,
      uid: '0d5c7e2a-1111-4b7e-9a52-5e3c8f0a4b21',
      creationTimestamp: '2025-03-02T09:14:11Z',
      resourceVersion: '1204',
      generation: 1,
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    },
    spec: {
      group: group.join('.'),
      names: {
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural,
        singular: info.kind.toLowerCase(),
      },
      scope: info.namespaced === false ? 'Cluster' : 'Namespaced',
    },
  };
}

/** One cluster's objects by kind, items stripped of their type meta. */
const clusters = new Map();
for (const cluster of fleet.clusters) {
  const kinds = new Map();
  for (const o of cluster.objects) {
    const { apiVersion: _a, kind, ...item } = o;
    let list = kinds.get(kind);
    if (!list) kinds.set(kind, (list = []));
    list.push(item);
  }
  kinds.set(
    'CustomResourceDefinition',
    INSTALLED_CRDS.map(crdObject).map(
      ({ apiVersion: _a, kind: _k, ...i }) => i,
    ),
  );
  clusters.set(cluster.name, { kinds, pages: new Map() });
}
fleet.clusters = undefined;

const stats = {
  requests: 0,
  k8sRequests: 0,
  armRequests: 0,
  bytesSent: 0,
  bytesUncompressed: 0,
  unauthorized: 0,
  notFound: 0,
};

function encodeToken(kind, start) {
  return Buffer.from(JSON.stringify({ kind, start, rv: 48213577 })).toString(
    'base64url',
  );
}

/** A page, serialised once (plain and gzip) per (kind, start, limit, metadataOnly). */
function page(cluster, info, start, limit, metadataOnly) {
  const key = `${info.kind}|${start}|${limit}|${metadataOnly ? 'm' : 'f'}`;
  let cached = cluster.pages.get(key);
  if (cached) return cached;
  const all = cluster.kinds.get(info.kind) ?? [];
  const items = all.slice(start, start + limit);
  const next = start + limit < all.length ? start + limit : undefined;
  const metadata = { resourceVersion: '48213577' };
  if (next !== undefined) {
    metadata.continue = encodeToken(info.kind, next);
    metadata.remainingItemCount = all.length - next;
  }
  const body = metadataOnly
    ? {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: items.map(i => ({
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: i.metadata,
        })),
      }
    : {
        kind: `${info.kind}List`,
        apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
        metadata,
        items,
      };
  const plain = Buffer.from(JSON.stringify(body));
  cached = {
    plain,
    gzip: plain.length >= GZIP_MIN ? gzipSync(plain, { level: 1 }) : undefined,
    contentType: metadataOnly
      ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1'
      : 'application/json',
  };
  cluster.pages.set(key, cached);
  return cached;
}

function status(res, code, reason, message) {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(body);
}

function serveKubernetes(req, res) {
  // The benchmark's own counters (not part of any API).
  if (req.url === '/_bench/stats' || req.url === '/_bench/reset') {
    if (req.url === '/_bench/reset') {
      for (const k of Object.keys(stats)) stats[k] = 0;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  stats.requests++;
  stats.k8sRequests++;
  const url = new URL(req.url, 'http://fake');
  const match = /^\/c\/([^/]+)(\/.*)$/.exec(url.pathname);
  const cluster = match && clusters.get(match[1]);
  if (!cluster) return status(res, 404, 'NotFound', 'no such cluster');
  if (req.headers.authorization !== `Bearer ${token}`) {
    stats.unauthorized++;
    return status(res, 401, 'Unauthorized', 'Unauthorized');
  }
  const info = byPath.get(match[2]);
  if (!info || (info.crd && !INSTALLED_CRDS.includes(crdName(info)))) {
    stats.notFound++;
    return status(
      res,
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }
  const limit = Number(url.searchParams.get('limit')) || 1_000_000;
  let start = 0;
  const continueToken = url.searchParams.get('continue');
  if (continueToken) {
    try {
      const decoded = JSON.parse(
        Buffer.from(continueToken, 'base64url').toString(),
      );
      if (decoded.kind !== info.kind) throw new Error('other kind');
      start = decoded.start;
    } catch {
      return status(res, 400, 'BadRequest', 'invalid continue token');
    }
  }
  const metadataOnly = /as=PartialObjectMetadataList/.test(
    req.headers.accept ?? '',
  );
  const p = page(cluster, info, start, limit, metadataOnly);
  const gzip = p.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const body = gzip ? p.gzip : p.plain;
  stats.bytesSent += body.length;
  stats.bytesUncompressed += p.plain.length;
  res.writeHead(200, {
    'content-type': p.contentType,
    'content-length': body.length,
    'audit-id': '1b8f3f0e-4b6e-4a57-9b7e-3d1f6f2a9c10',
    'cache-control': 'no-cache, private',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(body);
}

// Pre-serialise the pages the sources ask for with their default limit.
for (const cluster of clusters.values()) {
  for (const info of KNOWN_KINDS) {
    const all = cluster.kinds.get(info.kind);
    if (!all && info.kind !== 'CustomResourceDefinition') continue;
    for (let s = 0; s < (all?.length ?? 0) || s === 0; s += pageSize) {
      page(
        cluster,
        info,
        s,
        pageSize,
        info.kind === 'CustomResourceDefinition',
      );
    }
  }
}

const k8sServer = createHttpServer(
  { keepAliveTimeout: 30_000 },
  serveKubernetes,
);
await new Promise(r => k8sServer.listen(0, '127.0.0.1', r));

let armServer;
if (arm) {
  const docs = new Map();
  for (let i = 0; i < clusterCount; i++) {
    const d = armDocuments(i);
    docs.set(d.name, d);
  }
  const versions = JSON.stringify(kubernetesVersions());
  const armError = (res, code, errorCode, message) => {
    res.writeHead(code, {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-request-id': 'b7f0c6f2-0000-4000-8000-000000000000',
    });
    res.end(JSON.stringify({ error: { code: errorCode, message } }));
  };
  const send = (res, value) => {
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-request-id': 'b7f0c6f2-0000-4000-8000-000000000001',
      'x-ms-ratelimit-remaining-subscription-reads': '11999',
    });
    res.end(body);
  };
  const prefix = `/subscriptions/${SUBSCRIPTION}/resourcegroups/${RESOURCE_GROUP.toLowerCase()}/providers/microsoft.containerservice/managedclusters/`;
  armServer = createHttpsServer(
    {
      cert: readFileSync(arm.certFile),
      key: readFileSync(arm.keyFile),
      keepAliveTimeout: 30_000,
    },
    (req, res) => {
      stats.requests++;
      stats.armRequests++;
      if (req.headers.authorization !== `Bearer ${token}`) {
        stats.unauthorized++;
        return armError(
          res,
          401,
          'InvalidAuthenticationToken',
          'The access token is invalid.',
        );
      }
      const url = new URL(req.url, 'https://fake');
      const path = decodeURIComponent(url.pathname);
      const lower = path.toLowerCase();
      if (
        lower ===
        `/subscriptions/${SUBSCRIPTION}/providers/microsoft.containerservice/locations/${(
          path.split('/')[6] ?? ''
        ).toLowerCase()}/kubernetesversions`
      ) {
        return send(res, versions);
      }
      if (!lower.startsWith(prefix)) {
        return armError(res, 404, 'ResourceNotFound', 'Not found');
      }
      const [name, part, sub] = path.slice(prefix.length).split('/');
      const d = docs.get(name);
      if (!d) {
        return armError(
          res,
          404,
          'ResourceNotFound',
          `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${RESOURCE_GROUP}' was not found.`,
        );
      }
      if (!part) return send(res, d.cluster);
      if (part === 'agentPools') {
        const second = url.searchParams.get('$skipToken') === 'page2';
        const half = Math.ceil(d.agentPools.length / 2);
        if (second) return send(res, { value: d.agentPools.slice(half) });
        const next = new URL(req.url, `https://${req.headers.host}`);
        next.searchParams.set('$skipToken', 'page2');
        return send(res, {
          value: d.agentPools.slice(0, half),
          ...(half < d.agentPools.length ? { nextLink: next.toString() } : {}),
        });
      }
      if (part === 'maintenanceConfigurations') {
        return send(res, { value: d.maintenanceConfigurations });
      }
      if (part === 'upgradeProfiles' && sub === 'default') {
        return send(res, d.upgradeProfile);
      }
      return armError(res, 404, 'NotFound', 'Not found');
    },
  );
  await new Promise(r => armServer.listen(0, '127.0.0.1', r));
}

process.on('message', message => {
  if (message?.type === 'stats') {
    process.send({ type: 'stats', ...stats });
  } else if (message?.type === 'reset') {
    for (const k of Object.keys(stats)) stats[k] = 0;
    process.send({ type: 'reset' });
  }
});

process.send({
  type: 'ready',
  k8sPort: k8sServer.address().port,
  armPort: armServer?.address().port,
  clusters: [...clusters.keys()],
  entities: fleet.entities,
  slots: fleet.slots,
  setupMs: Date.now() - started,
  rssMb: Math.round(process.memoryUsage.rss() / 1048576),
});
