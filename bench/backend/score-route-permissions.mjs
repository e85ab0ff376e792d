/*
 * Backend benchmark 5: the entity score route with the permission checks
 * on, beside Backstage's own /health under the same load.
 *
 *   yarn workspace bench backend:score-route-permissions [options]
 *
 * permission-server.mjs: a real backend with the catalog, the permission
 * backend (the demo portal's rule for aks-baseline.findings.read: ALLOW for
 * the platform team, CONDITIONAL on the entities their teams own for
 * everyone else), the auth backend and the AKS Baseline plugin, on
 * PostgreSQL, with the production middleware. The catalog reads the fleet's
 * entities (score-route.mjs's: --entities Components over --clusters
 * clusters of --objects objects, plus a Resource per cluster) from a file;
 * once it has them, the plugin evaluates the fleet (served by
 * fake-fleet.mjs, stopped afterwards).
 *
 * The load: --connections keep-alive connections (loadgen.mjs, its own
 * process), each a user with a Backstage user token: --platform of them in
 * the platform team asking for any entity, the others developers of the
 * fleet's teams asking for the entities their team owns (what they may
 * see), each request
 * `GET /api/aks-baseline/entities/default/component/<name>/score`, closed
 * loop, gzip accepted. Under the same load, in the same run, one more
 * connection asks for `GET /api/aks-baseline/health` (the plugin's router,
 * no authentication, no work) every --interval ms. Every entity is asked
 * for once first (each replica's answer cache has seen it).
 * With --rotate N each connection sends the next of N tokens of its user
 * with each request, so that (at this throughput) a token comes back after
 * the plugin's 5-second access cache has forgotten it: every request then
 * asks the permission backend and the catalog, as a crowd of users each
 * opening one page would.
 *
 * Target: the score route's p99 no more than 1.2 times /health's p99.
 *
 * To tell the permission checks from the rest, --permission off turns the
 * permission framework off (the same users and tokens; every decision an
 * ALLOW without asking), and --as service has every connection use the
 * static service token instead of a user's (no user token to verify;
 * services are allowed without asking, as before this benchmark).
 *
 * Options: --entities 10000 --clusters 50 --objects 2000 --connections 50
 *          --platform 10 --duration 20 --warmup 3 --runs 3 --interval 10
 *          --rotate 0 --permission on|off --as user|service
 *          --pg URL --log-level info --profile --out FILE
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, usageOf } from '../lib/args.mjs';
import { BACKEND, FLEET, LOAD_RUNS } from './defaults.mjs';
import {
  backendSection,
  newApiToken,
  pluginSection,
} from './backend-config.mjs';
import {
  cpuMsBetween,
  cpuMsPerRequest,
  launchBackend,
  printLogTail,
} from './backend-process.mjs';
import {
  evaluationFinished,
  evaluationsLogged,
  requestEvaluation,
} from './evaluations.mjs';
import { backendDatabase, postgresUrl, recreateDatabase } from './postgres.mjs';
import { fleetClusters, startFleet } from './fleet.mjs';
import { ask, freePort, runJsonProcess } from './processes.mjs';
import {
  describeMachine,
  load,
  log,
  machine,
  MB,
  RESULTS,
  saveReport,
  table,
} from './report.mjs';
import { summary } from './stats.mjs';

const require = createRequire(import.meta.url);
const opts = parseArgs(
  process.argv.slice(2),
  {
    ...FLEET,
    connections: 50,
    platform: 10,
    ...LOAD_RUNS,
    interval: 10,
    rotate: 0,
    permission: 'on',
    as: 'user',
    targetRatio: 1.2,
    ...BACKEND,
  },
  usageOf(import.meta.url),
);
const pgUrl = postgresUrl(opts.pg, true);
const PREFIX = 'aks_baseline_bench_perm_';
const PLUGINS = ['aks-baseline', 'catalog', 'auth', 'permission'];
const PLATFORM = 'group:default/platform-engineering';
const API_TOKEN = newApiToken();
const SCORE = '/api/aks-baseline/entities/default/component/{name}/score';
const HEALTH = '/api/aks-baseline/health';
const work = mkdtempSync(join(tmpdir(), 'aks-baseline-bench-perm-'));
const serverLog = join(RESULTS, 'score-route-permissions-server.log');
mkdirSync(RESULTS, { recursive: true });

const loadgen = options => runJsonProcess('loadgen.mjs', options);
const evaluatedLines = () => evaluationsLogged(serverLog, opts.clusters).length;

let fake;
let server;
let exitCode = 0;
try {
  [fake] = await Promise.all([
    startFleet({
      clusters: opts.clusters,
      objects: opts.objects,
      entities: opts.entities,
      templates: opts.templates,
    }),
    ...PLUGINS.map(id =>
      recreateDatabase(require, pgUrl, `${PREFIX}${id}`, false),
    ),
  ]);
  const components = fake.entities.filter(e => e.kind === 'Component');
  const byOwner = new Map();
  for (const e of components) {
    const owner = e.spec.owner;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), e.metadata.name]);
  }
  const teams = [...byOwner.keys()].sort();
  const entitiesFile = join(work, 'entities.yaml');
  writeFileSync(
    entitiesFile,
    fake.entities.map(e => JSON.stringify(e)).join('\n---\n'),
  );

  const port = await freePort();
  const config = {
    backend: backendSection({
      port,
      database: backendDatabase(pgUrl, PREFIX),
      apiToken: API_TOKEN,
    }),
    app: { baseUrl: 'http://127.0.0.1:3000' },
    permission: { enabled: opts.permission !== 'off' },
    auth: { environment: 'production', providers: { bench: {} } },
    catalog: {
      rules: [{ allow: ['Component', 'Resource', 'Location'] }],
      locations: [{ type: 'file', target: entitiesFile }],
    },
    // At start, before the catalog has the entities; evaluated again below.
    aksBaseline: pluginSection({
      clusters: fleetClusters(fake.clusters, fake.k8sPort),
      timeout: { minutes: 15 },
    }),
  };
  server = launchBackend({
    script: 'permission-server.mjs',
    job: { config, platformGroup: PLATFORM },
    jobFile: join(work, 'server.json'),
    logFile: serverLog,
    logLevel: opts.logLevel,
  });
  const proc = server.child;
  await server.ready;
  const base = `http://127.0.0.1:${port}`;
  const service = { authorization: `Bearer ${API_TOKEN}` };
  log(`backend listening on ${port}; waiting for the catalog...`);

  // ------------------------------------------------- the catalog, then seed
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(
      `${base}/api/catalog/entities/by-query?filter=kind=component,relations.ownedBy&limit=1`,
      { headers: service },
    );
    const body = res.ok ? await res.json() : undefined;
    if ((body?.totalItems ?? 0) >= components.length) break;
    if (performance.now() - t0 > 20 * 60_000) {
      throw new Error(
        `the catalog has ${body?.totalItems} of ${components.length} components after 20 minutes`,
      );
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  const catalogMs = Math.round(performance.now() - t0);
  log(`catalog ready in ${(catalogMs / 1000).toFixed(1)} s; evaluating...`);
  const seedStart = performance.now();
  // The run at start may still be going (it read a catalog not ready yet):
  // wait for it to end, then start one that reads the whole catalog.
  const running = async () =>
    (
      await (
        await fetch(`${base}/api/aks-baseline/evaluations?limit=100`, {
          headers: service,
        })
      ).json()
    ).items.some(r => r.status === 'running');
  for (;;) {
    while (await running()) await new Promise(r => setTimeout(r, 500));
    const before = evaluatedLines();
    const accepted = await requestEvaluation(
      `${base}/api/aks-baseline`,
      service,
    );
    if (accepted.alreadyRunning) continue;
    await evaluationFinished(() => evaluatedLines() > before, {
      minutes: 20,
      pollMs: 500,
    });
    break;
  }
  const seedMs = Math.round(performance.now() - seedStart);
  await fake.stop();
  fake = undefined;
  log(`evaluated in ${(seedMs / 1000).toFixed(1)} s`);

  // ------------------------------------------------------ users and tokens
  const tokenFor = async (user, groups) => {
    const res = await fetch(`${base}/api/auth/bench/refresh`, {
      headers: {
        'x-bench-user': user,
        'x-bench-groups': groups.join(','),
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    if (!res.ok) {
      throw new Error(`sign-in of ${user}: ${res.status} ${await res.text()}`);
    }
    return (await res.json()).backstageIdentity.token;
  };
  const allNames = components.map(e => e.metadata.name);
  const clients = [];
  for (let i = 0; i < opts.connections; i++) {
    const platform = i < opts.platform;
    const team = teams[i % teams.length];
    const user = platform
      ? `user:default/platform-${i}`
      : `user:default/dev-${i}`;
    const groups = [platform ? PLATFORM : team];
    const tokens = [];
    for (let t = 0; t < Math.max(1, opts.rotate); t++) {
      tokens.push(await tokenFor(user, groups));
    }
    clients.push({
      user,
      ...(opts.as === 'service' && { token: API_TOKEN }),
      ...(opts.as !== 'service' &&
        (opts.rotate ? { tokens } : { token: tokens[0] })),
      names: platform ? allNames : byOwner.get(team),
    });
  }
  const clientsFile = join(work, 'clients.json');
  writeFileSync(clientsFile, JSON.stringify(clients));

  // The checks are on: each user gets what they may see, and only that.
  const score = (name, token) =>
    fetch(`${base}${SCORE.replace('{name}', encodeURIComponent(name))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  const developer = clients[opts.platform] ?? clients[0];
  const devToken = developer.token ?? developer.tokens[0];
  const own = await score(developer.names[0], devToken);
  const other = allNames.find(n => !developer.names.includes(n));
  const foreign = await score(other, devToken);
  const expectForeign =
    opts.permission === 'off' || opts.as === 'service' ? 200 : 404;
  if (own.status !== 200 || foreign.status !== expectForeign) {
    throw new Error(
      `${developer.user}: own entity ${own.status}, another team's ${foreign.status} (expected 200 and ${expectForeign})`,
    );
  }
  log(
    `${clients.length} users (${opts.platform} of the platform team, ${
      clients.length - opts.platform
    } developers of ${teams.length} teams${
      opts.rotate ? `, ${opts.rotate} tokens each` : ''
    }); a developer gets 200 for their entity and ${expectForeign} for another team's; permission framework ${
      opts.permission
    }, clients as ${opts.as}`,
  );

  // ------------------------------------------------------------------- load
  const primeFile = join(work, 'prime.json');
  writeFileSync(
    primeFile,
    JSON.stringify([
      {
        token: await tokenFor('user:default/primer', [PLATFORM]),
        names: allNames,
      },
    ]),
  );
  const primed = await loadgen({
    port,
    clients: primeFile,
    connections: opts.connections,
    gzip: true,
    pathTemplate: SCORE,
    prime: true,
  });
  log(`primed: ${primed.requests} requests (${primed.throughput} req/s)`);

  const runs = [];
  for (let run = 1; run <= opts.runs; run++) {
    const profileFile = join(
      RESULTS,
      'score-route-permissions-server.cpuprofile',
    );
    const profiling = opts.profile && run === 1;
    if (profiling) await ask(proc, { type: 'profile-start' });
    const loadBefore = load();
    const before = await ask(proc, { type: 'usage' });
    const result = await loadgen({
      port,
      clients: clientsFile,
      connections: opts.connections,
      gzip: true,
      pathTemplate: SCORE,
      probe: { path: HEALTH, connections: 1, intervalMs: opts.interval },
      duration: opts.duration,
      warmup: opts.warmup,
      seed: run,
    });
    const after = await ask(proc, { type: 'usage' });
    if (profiling) {
      await ask(proc, { type: 'profile-stop', file: profileFile });
      log(`server CPU profile: ${relative(process.cwd(), profileFile)}`);
    }
    const row = {
      run,
      ...result,
      ratio:
        Math.round((result.latencyMs.p99 / result.probe.latencyMs.p99) * 100) /
        100,
      serverCpuPerRequestMs: cpuMsPerRequest(
        cpuMsBetween(before, after),
        result.requests + result.probe.requests,
        opts,
      ),
      serverRssMb: MB(after.memory.rss),
      loadAverage: { before: loadBefore, after: load() },
    };
    runs.push(row);
    log(
      `run ${run}: ${result.throughput} req/s; score p99 ${
        result.latencyMs.p99
      } ms, /health p99 ${result.probe.latencyMs.p99} ms (x${
        row.ratio
      }); statuses ${JSON.stringify(result.statuses)}; load ${loadBefore.join(
        ' ',
      )}`,
    );
    for (const p of result.problems) log(`  problem: ${p}`);
  }

  // ----------------------------------------------------------------- report
  const m = machine();
  console.log(
    `\nEntity score route (permission framework ${
      opts.permission
    }, clients as ${opts.as}): ${
      components.length
    } entities in the catalog and PostgreSQL, ${
      opts.connections
    } users on keep-alive connections (${opts.platform} platform team, ${
      opts.connections - opts.platform
    } developers)${
      opts.rotate ? `, ${opts.rotate} tokens each in turn` : ''
    }, /health every ${opts.interval} ms beside them; ${
      opts.duration
    } s per run after ${opts.warmup} s; ${describeMachine(m)}\n`,
  );
  table(
    [
      'run',
      'req/s',
      'score p50 ms',
      'score p99 ms',
      '/health p50 ms',
      '/health p99 ms',
      'ratio p99',
      'non-200',
      'server CPU ms/req',
      'load avg',
    ],
    runs.map(r => [
      r.run,
      r.throughput,
      r.latencyMs.p50,
      r.latencyMs.p99,
      r.probe.latencyMs.p50,
      r.probe.latencyMs.p99,
      r.ratio,
      r.requests - (r.statuses['200'] ?? 0),
      r.serverCpuPerRequestMs,
      r.loadAverage.before.join(' '),
    ]),
  );
  const ratio = summary(runs.map(r => r.ratio));
  const allOk = runs.every(r => r.requests === (r.statuses['200'] ?? 0));
  const ok = ratio.median <= opts.targetRatio && allOk;
  if (!ok) exitCode = 1;
  console.log(
    `\nscore p99 / /health p99: best x${ratio.best}, median x${
      ratio.median
    } (target <= ${opts.targetRatio}) -> ${ok ? 'OK' : 'MISSED'}`,
  );
  saveReport(
    'backend-score-route-permissions',
    {
      options: { ...opts, pg: opts.pg ? '(given)' : '' },
      out: opts.out,
      logs: [serverLog],
    },
    {
      variant: {
        permission: opts.permission,
        as: opts.as,
        rotate: opts.rotate,
      },
      seed: {
        catalogMs,
        seedMs,
        entities: components.length,
        teams: teams.length,
      },
      primed,
      runs,
      summary: { ratio, ok },
    },
  );
} catch (error) {
  exitCode = 2;
  console.error(error);
  printLogTail(serverLog);
} finally {
  await fake?.stop();
  await server?.stop();
  for (const id of PLUGINS) {
    await recreateDatabase(require, pgUrl, `${PREFIX}${id}`, false).catch(
      () => {},
    );
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
