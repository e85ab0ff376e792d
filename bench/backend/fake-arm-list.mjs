/*
 * A fake Azure Resource Manager for cluster discovery, run as a child
 * process (fork) so that serving does not share the measured event loop:
 * ManagedClusters_List of `subscriptions` subscriptions over https, each
 * with `perSubscription` managed clusters (the published ManagedClustersGet
 * example under its own id, name and tags), in pages of `pageSize` linked by
 * nextLink as ARM pages them; 401 without the bearer token, ARM's error
 * shape for anything else. The pages are serialised before "ready".
 *
 * Options (JSON argument): { subscriptions, perSubscription, pageSize,
 * token, certFile, keyFile }. Answers { type: 'ready', port, subscriptionIds }
 * and, asked { type: 'stats' }, { type: 'stats', requests, bytes }.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(
  here,
  '../../plugins/aks-baseline-backend/src/sources/__fixtures__/azure/ManagedClustersGet.json',
);
const options = JSON.parse(process.argv[2] ?? '{}');
const {
  subscriptions = 20,
  perSubscription = 100,
  pageSize = 100,
  token,
} = options;
process.on('disconnect', () => process.exit(0));

const example = JSON.parse(readFileSync(FIXTURE, 'utf8')).responses['200'].body;
const PATH = '/providers/Microsoft.ContainerService/managedClusters';

/** A stable GUID-shaped subscription id for index `i`. */
const subscriptionId = i =>
  `${String(i).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;

const subscriptionIds = Array.from({ length: subscriptions }, (_, i) =>
  subscriptionId(i + 1),
);
/** Subscription id -> its pages, serialised, by skip token. */
const pages = new Map();
for (const [s, sub] of subscriptionIds.entries()) {
  const clusters = Array.from({ length: perSubscription }, (_, c) => {
    const name = `aks-s${s + 1}-c${c + 1}`;
    const group = `rg-fleet-${(c % 5) + 1}`;
    return {
      ...structuredClone(example),
      id: `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/${name}`,
      name,
      tags: {
        environment: c % 2 ? 'production' : 'staging',
        team: `team-${c % 7}`,
      },
    };
  });
  const byToken = new Map();
  for (let skip = 0; skip < clusters.length || skip === 0; skip += pageSize) {
    const more = skip + pageSize < clusters.length;
    const next = `https://127.0.0.1:PORT/subscriptions/${sub}${PATH}?api-version=2025-05-01&$skipToken=${
      skip + pageSize
    }`;
    byToken.set(String(skip), {
      value: clusters.slice(skip, skip + pageSize),
      ...(more ? { nextLink: next } : {}),
    });
  }
  pages.set(sub.toLowerCase(), byToken);
}

const stats = { requests: 0, bytes: 0 };
const server = createServer(
  {
    cert: readFileSync(options.certFile),
    key: readFileSync(options.keyFile),
  },
  (req, res) => {
    stats.requests++;
    const send = (status, body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      stats.bytes += Buffer.byteLength(text);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(401, {
        error: {
          code: 'InvalidAuthenticationToken',
          message: 'The access token is invalid.',
        },
      });
    }
    const url = new URL(req.url, 'https://127.0.0.1');
    const m = new RegExp(`^/subscriptions/([^/]+)${PATH}$`, 'i').exec(
      url.pathname,
    );
    const page =
      m &&
      pages
        .get(m[1].toLowerCase())
        ?.get(url.searchParams.get('$skipToken') ?? '0');
    if (!page) {
      return send(404, {
        error: { code: 'NotFound', message: `No route for ${url.pathname}` },
      });
    }
    return send(200, page);
  },
);
server.listen(0, '127.0.0.1', () => {
  // Serialised once, with this server's address in the nextLinks.
  const { port } = server.address();
  for (const byToken of pages.values()) {
    for (const [skip, page] of byToken) {
      byToken.set(skip, JSON.stringify(page).replace(/PORT/g, String(port)));
    }
  }
  process.on('message', m => {
    if (m?.type === 'stats') process.send({ type: 'stats', ...stats });
    if (m?.type === 'reset') {
      stats.requests = stats.bytes = 0;
      process.send({ type: 'reset' });
    }
  });
  process.send({
    type: 'ready',
    port: server.address().port,
    subscriptionIds,
  });
});
