/*
 * Closed-loop HTTP/1.1 load generator for the score-route benchmark, run as
 * its own process so that it does not share the server's event loop.
 * `connections` keep-alive sockets each send one request, wait for the whole
 * answer, record the latency and send the next (like `wrk -c`), for
 * `warmup` seconds unrecorded and then `duration` seconds recorded; then
 * every socket finishes its request in flight and stops. Raw sockets and a
 * minimal response parser (Content-Length and chunked bodies) keep the
 * generator's own CPU small next to the server's.
 *
 *   node loadgen.mjs '{"port":7007,"token":"...","names":"names.json",
 *     "connections":50,"duration":20,"warmup":3,"gzip":false}'
 *
 * With "ports": [7007, 7008, ...] (several backend replicas), the connections
 * are spread evenly over them, connection i to ports[i % ports.length], as a
 * Kubernetes Service spreads connections over pods; "port" alone is one.
 *
 * With "prime": true, every name is requested once on every port (spread
 * over that port's connections) and the generator stops: the steady state of
 * long-running backends, whose per-replica caches have seen their entities.
 *
 * With "clients": "clients.json" ([{ "token", "names": [...] }]), connection
 * i is client i % clients.length: its own token (a user of its own) and the
 * names it asks for, instead of one token and one list for all. A client
 * with "tokens": [...] instead sends the next of its tokens with each
 * request (many users, or tokens, behind one connection).
 *
 * With "probe": { "path", "connections": 1, "intervalMs": 10 }, that many
 * more connections request `path` (no token) one after the other with a
 * pause between, under the same load, and their latencies are reported
 * apart ("probe"): e.g. Backstage's /health beside the route measured.
 * "connections": 0 with a probe measures the probe alone (an idle server).
 *
 * Prints one JSON line: requests, statuses, throughput, latency percentiles
 * (over all requests of all ports), the requests each port answered, and
 * the probe's.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';
import { percentile } from './stats.mjs';

const opts = {
  host: '127.0.0.1',
  connections: 50,
  duration: 20,
  warmup: 3,
  seed: 1,
  gzip: false,
  pathTemplate: '/api/aks-baseline/entities/default/component/{name}/score',
  ...JSON.parse(process.argv[2]),
};
/** Each client's token and names; one client when "clients" is not given. */
const clients = opts.clients
  ? JSON.parse(readFileSync(opts.clients, 'utf8'))
  : [
      {
        token: opts.token,
        names: opts.names ? JSON.parse(readFileSync(opts.names, 'utf8')) : [],
      },
    ];
const ports = opts.ports ?? [opts.port];

let state = 0x9e3779b9 ^ opts.seed;
const random = () => {
  // xorshift32
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};

/** One request, as raw HTTP/1.1 (a token when given). */
const requestBytes = (port, path, token) =>
  Buffer.from(
    `GET ${path} HTTP/1.1\r\nHost: ${opts.host}:${port}\r\n${
      token ? `Authorization: Bearer ${token}\r\n` : ''
    }Accept: application/json\r\n${
      opts.gzip ? 'Accept-Encoding: gzip, deflate, br\r\n' : ''
    }User-Agent: aks-baseline-bench\r\nConnection: keep-alive\r\n\r\n`,
  );

const pathOf = name =>
  opts.pathTemplate.replace('{name}', encodeURIComponent(name));

/**
 * The requests of each client on each port (they differ in the Host
 * header); made at each request for a client that rotates tokens.
 */
const requestsOf = ports.map(port =>
  clients.map(client =>
    client.tokens
      ? null
      : client.names.map(name =>
          requestBytes(port, pathOf(name), client.token),
        ),
  ),
);
/** The next token of each client that rotates them. */
const nextToken = clients.map(() => 0);

const CRLF2 = Buffer.from('\r\n\r\n');
const latencies = [];
const statuses = {};
let bytes = 0;
let recording = false;
let stopping = false;
let checked = false;
const problems = [];
/** Per port and client: names requested so far when priming; requests recorded per port. */
const primed = ports.map(() => clients.map(() => 0));
const perPort = ports.map(() => 0);
const probeLatencies = [];
const probeStatuses = {};

/** Where a complete response ends in `buf`, or -1. */
function responseEnd(buf) {
  const headerEnd = buf.indexOf(CRLF2);
  if (headerEnd < 0) return { end: -1 };
  const head = buf.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const lower = head.toLowerCase();
  const bodyStart = headerEnd + 4;
  const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
  const close = /\r\nconnection:\s*close/.test(lower);
  const encoding = /\r\ncontent-encoding:\s*(\S+)/.exec(lower)?.[1];
  if (length) {
    const end = bodyStart + Number(length[1]);
    return buf.length >= end
      ? { end, status, bodyStart, chunked: false, close, encoding }
      : { end: -1 };
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(lower)) {
    let pos = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', pos);
      if (lineEnd < 0) return { end: -1 };
      const size = parseInt(buf.toString('latin1', pos, lineEnd), 16);
      if (size === 0) {
        const end = buf.indexOf(CRLF2, lineEnd - 2);
        return end < 0
          ? { end: -1 }
          : { end: end + 4, status, bodyStart, chunked: true, close, encoding };
      }
      pos = lineEnd + 2 + size + 2;
      if (pos > buf.length) return { end: -1 };
    }
  }
  // No body (e.g. 304) or read-until-close; treat as headers only.
  return { end: bodyStart, status, bodyStart, chunked: false, close, encoding };
}

function bodyOf(buf, r) {
  let body;
  if (!r.chunked) body = buf.subarray(r.bodyStart, r.end);
  else {
    const parts = [];
    let pos = r.bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf('\r\n', pos);
      const size = parseInt(buf.toString('latin1', pos, lineEnd), 16);
      if (!size) break;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  if (r.encoding === 'gzip') return gunzipSync(body);
  if (r.encoding === 'br') return brotliDecompressSync(body);
  if (r.encoding === 'deflate') return inflateSync(body);
  return body;
}

/**
 * Connection `index` in a closed loop until stopped; with `probe`, one of
 * the probe's connections (its path, a pause between requests, its own
 * latencies).
 */
function connection(index, probe) {
  const portIndex = index % ports.length;
  const port = ports[portIndex];
  const clientIndex = index % clients.length;
  const requests = probe
    ? [requestBytes(port, probe.path)]
    : requestsOf[portIndex][clientIndex];
  return new Promise(resolve => {
    let socket;
    let buf = Buffer.alloc(0);
    let sentAt = 0n;
    let sent = 0;
    const send = () => {
      if (stopping) {
        socket.end();
        return resolve(sent);
      }
      let next;
      const client = clients[clientIndex];
      if (!probe && client.tokens) {
        const token =
          client.tokens[nextToken[clientIndex]++ % client.tokens.length];
        const name = client.names[Math.floor(random() * client.names.length)];
        next = requestBytes(port, pathOf(name), token);
      } else if (opts.prime) {
        // Every name once per port, in order, shared by its client's connections.
        if (primed[portIndex][clientIndex] >= requests.length) {
          socket.end();
          return resolve(sent);
        }
        next = requests[primed[portIndex][clientIndex]++];
      } else {
        next = requests[Math.floor(random() * requests.length)];
      }
      buf = Buffer.alloc(0);
      sentAt = process.hrtime.bigint();
      sent++;
      socket.write(next);
    };
    const open = () => {
      socket = net.connect({ host: opts.host, port });
      socket.setNoDelay(true);
      socket.on('connect', send);
      socket.on('data', chunk => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        const r = responseEnd(buf);
        if (r.end < 0) return;
        const ms = Number(process.hrtime.bigint() - sentAt) / 1e6;
        if (probe) {
          if (recording) {
            probeLatencies.push(ms);
            probeStatuses[r.status] = (probeStatuses[r.status] ?? 0) + 1;
          }
          if (r.close) {
            socket.destroy();
            open();
          } else setTimeout(send, probe.intervalMs ?? 10);
          return;
        }
        if (recording) {
          latencies.push(ms);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          bytes += r.end;
          perPort[portIndex]++;
        }
        if (!checked && r.status === 200) {
          checked = true;
          try {
            const body = JSON.parse(bodyOf(buf, r).toString('utf8'));
            if (typeof body.entityRef !== 'string') {
              problems.push('a 200 answer without entityRef');
            }
          } catch (error) {
            problems.push(`unreadable 200 answer: ${error.message}`);
          }
        } else if (r.status !== 200 && problems.length < 5) {
          problems.push(
            `${r.status}: ${bodyOf(buf, r).toString('utf8').slice(0, 200)}`,
          );
        }
        if (r.close) {
          socket.destroy();
          open();
        } else send();
      });
      socket.on('error', error => {
        if (problems.length < 5) problems.push(`socket: ${error.message}`);
        statuses.error = (statuses.error ?? 0) + 1;
        socket.destroy();
        if (!stopping) setTimeout(open, 10);
        else resolve(sent);
      });
    };
    open();
  });
}

const cpuStart = process.cpuUsage();
let started;
if (opts.prime) {
  recording = true;
  started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: opts.connections }, (_, i) => connection(i)),
  );
  recording = false;
} else {
  const all = [
    ...Array.from({ length: opts.connections }, (_, i) => connection(i)),
    ...(opts.probe
      ? Array.from({ length: opts.probe.connections ?? 1 }, (_, i) =>
          connection(i, opts.probe),
        )
      : []),
  ];
  await new Promise(r => setTimeout(r, opts.warmup * 1000));
  recording = true;
  started = process.hrtime.bigint();
  await new Promise(r => setTimeout(r, opts.duration * 1000));
  stopping = true;
  await Promise.all(all);
  recording = false;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);

/** Percentiles, max and mean of latencies (ms). */
function summarize(values) {
  values.sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  return {
    p50: percentile(values, 50, 2),
    p90: percentile(values, 90, 2),
    p95: percentile(values, 95, 2),
    p99: percentile(values, 99, 2),
    p999: percentile(values, 99.9, 2),
    max: percentile(values, 100, 2),
    mean: Math.round(mean * 100) / 100,
  };
}
process.stdout.write(
  `${JSON.stringify({
    connections: opts.connections,
    durationS: Math.round(elapsed * 100) / 100,
    requests: latencies.length,
    statuses,
    throughput: Math.round((latencies.length / elapsed) * 10) / 10,
    latencyMs: summarize(latencies),
    ...(opts.probe
      ? {
          probe: {
            path: opts.probe.path,
            requests: probeLatencies.length,
            statuses: probeStatuses,
            latencyMs: summarize(probeLatencies),
          },
        }
      : {}),
    perPort: ports.map((port, i) => ({ port, requests: perPort[i] })),
    mbReceived: Math.round((bytes / 1048576) * 10) / 10,
    loadgenCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    problems,
  })}\n`,
);
