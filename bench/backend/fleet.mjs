/*
 * The fake fleet (fake-fleet.mjs, a process of its own) the backend
 * benchmarks read: started, and its clusters as the plugin's config names
 * them.
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextMessage } from './processes.mjs';
import { log } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The fake fleet's Kubernetes API accepts this service account token. */
export const K8S_TOKEN = 'bench-service-account-token';

/**
 * Generates the fleet in its own process: `clusters` clusters (one when not
 * given) of `objects` objects and `entities` catalog entities.
 */
export function startFleet({
  clusters,
  objects,
  entities,
  templates = 1,
  token = K8S_TOKEN,
  arm,
}) {
  log(
    clusters === undefined
      ? `generating one cluster of ${objects} objects and ${entities} entities in the fake fleet process...`
      : `generating ${clusters} clusters x ${objects} objects and ${entities} entities in the fake fleet process...`,
  );
  return startFakeFleet({
    clusters: clusters ?? 1,
    objects,
    entities,
    templates,
    token,
    ...(arm ? { arm } : {}),
  });
}

/** `aksBaseline.clusters`: each cluster of the fake fleet on `k8sPort`. */
export function fleetClusters(names, k8sPort) {
  return names.map(name => ({
    name,
    kubernetes: {
      url: `http://127.0.0.1:${k8sPort}/c/${name}`,
      skipTLSVerify: true,
      serviceAccountToken: K8S_TOKEN,
    },
  }));
}

/** Starts fake-fleet.mjs; resolves with its ports, clusters and entities. */
function startFakeFleet(options) {
  const child = fork(join(here, 'fake-fleet.mjs'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      '--max-old-space-size=4096',
    ],
  });
  const request = type =>
    new Promise((res, rej) => {
      const answer = nextMessage(child, type);
      child.send({ type }, e => (e ? rej(e) : answer.then(res)));
    });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return new Promise((res, rej) => {
    child.once('error', rej);
    child.once('exit', code =>
      rej(new Error(`the fake fleet exited early (code ${code})`)),
    );
    nextMessage(child, 'ready').then(m => {
      child.removeAllListeners('exit');
      res({
        ...m,
        stats: () => request('stats'),
        resetStats: () => request('reset'),
        stop: () =>
          new Promise(r => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill();
          }),
      });
    });
  });
}
