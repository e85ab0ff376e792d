/*
 * Clients that page through a findings route, run as its own process so
 * that parsing the pages does not share the server's (or the /health
 * probe's) event loop. Each of `clients` walks every page of `path`
 * (`limit` findings a page, following `nextCursor`), then starts again, for
 * `warmup` seconds unrecorded and `duration` seconds recorded; each
 * finishes its page in flight and stops. Node's fetch asks for gzip, as a
 * browser does ("gzip": false asks for none). With "thinkMs", a client
 * waits that long after each page, as someone reading it would.
 *
 *   node paging-clients.mjs '{"port":7007,"token":"...","path":"/api/...",
 *     "clients":8,"limit":500,"duration":20,"warmup":3}'
 *
 * Prints one JSON line: pages, walks completed (each checked: as many
 * findings as the first page's `total`, no finding twice), bytes received
 * (decompressed JSON), and each page's latency (p50, p99, max).
 */
import { percentile } from './stats.mjs';

const opts = {
  clients: 8,
  limit: 500,
  duration: 20,
  warmup: 3,
  ...JSON.parse(process.argv[2]),
};
const base = `http://127.0.0.1:${opts.port}${opts.path}`;
const headers = {
  authorization: `Bearer ${opts.token}`,
  // Node's fetch asks for gzip unless told otherwise.
  ...(opts.gzip === false ? { 'accept-encoding': 'identity' } : {}),
};

let recording = false;
let stopping = false;
const latencies = [];
const statuses = {};
const problems = [];
let pages = 0;
let walks = 0;
let items = 0;
let bytes = 0;

async function client() {
  while (!stopping) {
    let cursor;
    let total;
    let seen = 0;
    const keys = new Set();
    do {
      const url = `${base}?limit=${opts.limit}${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`;
      const started = performance.now();
      const res = await fetch(url, { headers });
      const text = await res.text();
      const ms = performance.now() - started;
      if (recording) {
        latencies.push(ms);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        pages++;
        bytes += text.length;
      }
      if (res.status !== 200) {
        if (problems.length < 5)
          problems.push(`${res.status}: ${text.slice(0, 200)}`);
        await new Promise(r => setTimeout(r, 100));
        break;
      }
      const page = JSON.parse(text);
      if (cursor === undefined) total = page.total;
      if (page.items.length > opts.limit && problems.length < 5) {
        problems.push(`a page of ${page.items.length} findings`);
      }
      for (const f of page.items) {
        keys.add(
          `${f.ruleId}/${f.resource.kind}/${f.resource.namespace ?? ''}/${
            f.resource.name
          }/${f.message}`,
        );
      }
      seen += page.items.length;
      if (recording) items += page.items.length;
      cursor = page.nextCursor;
      if (opts.thinkMs) await new Promise(r => setTimeout(r, opts.thinkMs));
    } while (cursor && !stopping);
    if (!cursor && total !== undefined) {
      if (recording) walks++;
      if (seen !== total && problems.length < 5) {
        problems.push(`a walk gave ${seen} findings, the total is ${total}`);
      }
      if (keys.size !== seen && problems.length < 5) {
        problems.push(`a walk gave ${seen - keys.size} findings twice`);
      }
    }
  }
}

const all = Array.from({ length: opts.clients }, () => client());
await new Promise(r => setTimeout(r, opts.warmup * 1000));
recording = true;
const started = performance.now();
await new Promise(r => setTimeout(r, opts.duration * 1000));
recording = false;
const elapsedS = (performance.now() - started) / 1000;
stopping = true;
await Promise.all(all);

latencies.sort((a, b) => a - b);
const pct = p => percentile(latencies, p, 1);
process.stdout.write(
  `${JSON.stringify({
    clients: opts.clients,
    limit: opts.limit,
    durationS: Math.round(elapsedS * 10) / 10,
    pages,
    pagesPerS: Math.round((pages / elapsedS) * 10) / 10,
    walks,
    findings: items,
    findingsPerS: Math.round(items / elapsedS),
    mbReceived: Math.round((bytes / 1048576) * 10) / 10,
    statuses,
    pageLatencyMs: { p50: pct(50), p99: pct(99), max: pct(100) },
    problems,
  })}\n`,
);
