/*
 * The framework's floor under the score route's load, layer by layer.
 *
 *   node bench/backend/floors.mjs [--layers node,express,middleware,logging]
 *
 * The same load as score-route.mjs (loadgen.mjs: 50 keep-alive clients,
 * closed loop, gzip accepted) against a server that answers every
 * `GET /api/aks-baseline/entities/default/component/<name>/score` with one
 * constant gzip-compressed answer about the average size (2.7 KB), sent
 * as the plugin sends it (res.end with its headers), on ever more of
 * Backstage's stack:
 *
 *   node        Node's http server alone
 *   express     + an Express app and router (as Backstage's routers are)
 *   middleware  + Backstage's helmet, CORS and compression middleware
 *               (MiddlewareFactory of @backstage/backend-defaults, its
 *               default configuration)
 *   logging     + its request logging at info (its WinstonLogger, JSON,
 *               into a file as score-route.mjs does) and the rate-limit
 *               middleware (a no-op unless configured), i.e. every root
 *               middleware of a Backstage backend
 *
 * What a real backend adds on top (its plugin routers, the auth policy,
 * the static token check, the plugin's handler and cache) is measured by
 * score-route.mjs itself (`--path /api/aks-baseline/health` for /health).
 * Reports req/s, p50/p95/p99 and the server's CPU per request per layer.
 *
 * Options: --layers node,express,middleware,logging --connections 50
 *          --duration 15 --warmup 3 --runs 3
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { cpuMsBetween, cpuMsPerRequest } from './backend-process.mjs';
import { ask, nextMessage, runJsonProcess } from './processes.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  RESULTS,
  table,
} from './report.mjs';
import { answerParent, usageAndProfileHandlers } from './server-control.mjs';

const require = createRequire(import.meta.url);
const LAYERS = ['node', 'express', 'middleware', 'logging'];

if (process.env.AKS_BASELINE_FLOOR_LAYER) {
  await serve(process.env.AKS_BASELINE_FLOOR_LAYER);
} else {
  await main();
}

/** The server of one layer, in its own process (forked by main). */
async function serve(layer) {
  const http = require('node:http');
  // Express and the middleware as @backstage/backend-defaults loads them.
  const defaults = require.resolve('@backstage/backend-defaults');
  const fromDefaults = name =>
    require(require.resolve(name, { paths: [dirname(defaults)] }));
  const answer = gzipSync(
    JSON.stringify({
      entityRef: 'component:default/x',
      pad: randomBytes(2600).toString('hex'),
    }),
  );
  const send = (_req, res) => {
    res.statusCode = 200;
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', 'W/"0123456789abcdefghijklmnopq-gzip"');
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', answer.length);
    res.end(answer);
  };
  let handler = send;
  if (layer !== 'node') {
    const express = fromDefaults('express');
    const app = express();
    if (layer === 'middleware' || layer === 'logging') {
      const {
        MiddlewareFactory,
      } = require('@backstage/backend-defaults/rootHttpRouter');
      const {
        WinstonLogger,
      } = require('@backstage/backend-defaults/rootLogger');
      const { ConfigReader } = require('@backstage/config');
      const winston = fromDefaults('winston');
      // As rootLoggerServiceFactory makes it (NODE_ENV=production: JSON).
      const logger = WinstonLogger.create({
        meta: { service: 'backstage' },
        level: 'info',
        format: winston.format.combine(
          winston.format.timestamp(),
          winston.format.json(),
        ),
        transports: [new winston.transports.Console()],
      });
      const middleware = MiddlewareFactory.create({
        config: new ConfigReader({ backend: { baseUrl: 'http://127.0.0.1' } }),
        logger: logger.child({ service: 'rootHttpRouter' }),
      });
      app.use(middleware.helmet());
      app.use(middleware.cors());
      app.use(middleware.compression());
      if (layer === 'logging') {
        app.use(middleware.logging());
        app.use(middleware.rateLimit());
      }
    }
    const router = express.Router();
    router.get('/entities/:namespace/:kind/:name/score', send);
    app.use('/api/aks-baseline', router);
    handler = app;
  }
  const server = http.createServer(handler);
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  answerParent(usageAndProfileHandlers());
  process.send({ type: 'ready', port: server.address().port });
}

async function main() {
  const opts = parseArgs(
    process.argv.slice(2),
    {
      layers: LAYERS.join(','),
      connections: 50,
      duration: 15,
      warmup: 3,
      runs: 3,
    },
    usageOf(import.meta.url),
  );
  const layers = opts.layers.split(',');
  for (const layer of layers) {
    if (!LAYERS.includes(layer)) {
      console.error(`unknown layer ${layer}; expected ${LAYERS.join(', ')}`);
      process.exit(2);
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-floors-'));
  mkdirSync(RESULTS, { recursive: true });
  const names = join(work, 'names.json');
  writeFileSync(
    names,
    JSON.stringify(Array.from({ length: 10000 }, (_, i) => `component-${i}`)),
  );
  const rows = [];
  try {
    for (const layer of layers) {
      const logFd = openSync(join(RESULTS, `floors-${layer}.log`), 'w');
      const server = fork(fileURLToPath(import.meta.url), [], {
        stdio: ['ignore', logFd, logFd, 'ipc'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          AKS_BASELINE_FLOOR_LAYER: layer,
        },
      });
      closeSync(logFd);
      const { port } = await nextMessage(server, 'ready');
      for (let run = 1; run <= opts.runs; run++) {
        const loadBefore = load();
        const before = await ask(server, { type: 'usage' });
        const result = await runJsonProcess('loadgen.mjs', {
          port,
          token: 'unused',
          names,
          connections: opts.connections,
          gzip: true,
          duration: opts.duration,
          warmup: opts.warmup,
          seed: run,
        });
        const after = await ask(server, { type: 'usage' });
        const row = [
          layer,
          run,
          result.throughput,
          result.latencyMs.p50,
          result.latencyMs.p95,
          result.latencyMs.p99,
          result.requests - (result.statuses['200'] ?? 0),
          cpuMsPerRequest(cpuMsBetween(before, after), result.requests, opts),
          loadBefore.join(' '),
        ];
        rows.push(row);
        log(
          `${layer} run ${run}: ${result.throughput} req/s, p99 ${result.latencyMs.p99} ms`,
        );
      }
      server.kill();
      await new Promise(r => server.once('exit', r));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const m = machine();
  console.log(
    `\nThe framework's floor, layer by layer: ${
      opts.connections
    } keep-alive clients, ${opts.duration} s per run after ${
      opts.warmup
    } s; ${describeMachine(m)}\n`,
  );
  table(
    [
      'layer',
      'run',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'non-200',
      'server CPU ms/req',
      'load avg',
    ],
    rows,
  );
}
