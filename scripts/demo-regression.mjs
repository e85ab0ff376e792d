#!/usr/bin/env node
/*
 * The demo's scripted regression: makes checkout-api on the demo's
 * production cluster worse (a privileged container on the host network,
 * running as root from a mutable tag, without limits), evaluates that
 * cluster through the REST API before and after, and lists the
 * notifications the signed-in user got. Its owners (team-payments) are
 * told of the score drop and the critical findings; the cluster's owners
 * (platform-engineering, the demo's guest) of the critical findings. Each
 * change once: running it again sends nothing new.
 *
 *   yarn demo:regression            # against http://localhost:7007
 *   yarn demo:regression --restore  # puts the snapshot back, evaluates again
 *
 * Options: --backend <url>, --snapshots <dir> (default examples/clusters),
 * --cluster <name> (default aks-prod-westeurope). A token is taken from
 * AKS_BASELINE_TOKEN, else from the guest sign-in of the demo.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'http://localhost:7007' },
    snapshots: { type: 'string', default: join(repo, 'examples/clusters') },
    cluster: { type: 'string', default: 'aks-prod-westeurope' },
    restore: { type: 'boolean', default: false },
  },
});
const backend = args.backend.replace(/\/+$/, '');
const workloads = join(resolve(args.snapshots), args.cluster, 'workloads.json');
/** Not read by the snapshot reader (only .json and .yaml files are). */
const backup = `${workloads}.before-regression`;
const ENTITY = 'default/component/checkout-api';

async function token() {
  if (process.env.AKS_BASELINE_TOKEN) return process.env.AKS_BASELINE_TOKEN;
  try {
    const res = await fetch(
      `${backend}/api/auth/guest/refresh?env=development`,
      {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      },
    );
    if (res.ok) return (await res.json()).backstageIdentity?.token;
  } catch {
    // No guest sign-in (a test backend): go on without a token.
  }
  return undefined;
}

async function api(path, init = {}, bearer) {
  const res = await fetch(`${backend}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...init.headers,
    },
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 300)}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

/** Evaluates the cluster now and waits for that run to end. */
async function evaluate(bearer) {
  const since = Date.now() - 1000;
  const accepted = await api(
    '/api/aks-baseline/evaluations',
    { method: 'POST', body: JSON.stringify({ cluster: args.cluster }) },
    bearer,
  );
  for (let waited = 0; waited < 120_000; waited += 500) {
    const { items } = await api(
      `/api/aks-baseline/evaluations?cluster=${args.cluster}&limit=5`,
      {},
      bearer,
    );
    const run = accepted.runId
      ? items.find(r => r.id === accepted.runId)
      : items.find(r => Date.parse(r.startedAt) >= since);
    if (run && run.status !== 'running') {
      if (run.status !== 'success')
        throw new Error(`the run failed: ${run.error}`);
      return run;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error('the evaluation did not end within two minutes');
}

async function score(bearer) {
  const answer = await api(
    `/api/aks-baseline/entities/${ENTITY}/score`,
    {},
    bearer,
  );
  return answer.clusters.find(c => c.cluster === args.cluster)?.score;
}

/** checkout-api's Deployment, made to fail the checks that matter most. */
function regress(list) {
  const deployment = list.items.find(
    o => o.kind === 'Deployment' && o.metadata.name === 'checkout-api',
  );
  if (!deployment)
    throw new Error(`no checkout-api Deployment in ${workloads}`);
  const pod = deployment.spec.template.spec;
  pod.hostNetwork = true;
  delete pod.securityContext;
  for (const container of pod.containers) {
    container.image = container.image.replace(/[:@].*$/, ':latest');
    container.securityContext = {
      privileged: true,
      allowPrivilegeEscalation: true,
      runAsUser: 0,
    };
    delete container.resources;
  }
  return list;
}

async function notifications(bearer) {
  try {
    const answer = await api(
      '/api/notifications/notifications?limit=20',
      {},
      bearer,
    );
    return answer.notifications ?? [];
  } catch {
    return undefined;
  }
}

async function main() {
  const bearer = await token();
  if (args.restore) {
    if (!existsSync(backup))
      throw new Error(`nothing to restore: ${backup} is missing`);
    renameSync(backup, workloads);
    await evaluate(bearer);
    console.log(
      `Restored ${workloads}; checkout-api scores ${await score(
        bearer,
      )} again.`,
    );
    return;
  }
  if (existsSync(backup)) {
    throw new Error(
      `already regressed (${backup} exists): run with --restore first`,
    );
  }
  // The score before, as the notifications' starting point.
  await evaluate(bearer);
  const before = await score(bearer);
  const original = readFileSync(workloads, 'utf8');
  writeFileSync(backup, original);
  writeFileSync(
    workloads,
    `${JSON.stringify(regress(JSON.parse(original)), null, 2)}\n`,
  );
  await evaluate(bearer);
  const after = await score(bearer);
  console.log(`checkout-api on ${args.cluster}: score ${before} -> ${after}`);
  const seen = await notifications(bearer);
  if (seen === undefined) {
    console.log(
      '(the notifications backend did not answer: see the backend log)',
    );
  } else {
    console.log(`Your notifications (${seen.length}):`);
    for (const n of seen) console.log(`- ${n.payload.title}`);
  }
  console.log('Undo with: yarn demo:regression --restore');
}

main().catch(error => {
  console.error(`demo-regression: ${error.message}`);
  process.exit(1);
});
