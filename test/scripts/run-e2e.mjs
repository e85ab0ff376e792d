// Builds the app, starts the demo backend (which serves the built app) on
// the embedded default configuration, waits for its health check, runs the
// browser tests in e2e/ with node's test runner, and stops the backend.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const testDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(testDir, '..');
const artifactsDir = join(testDir, 'artifacts');
const baseUrl = 'http://localhost:7007';
const healthUrl = `${baseUrl}/.backstage/health/v1/readiness`;
const startTimeoutMs = 240_000;

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
  }
}

async function waitForHealth(backend) {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (backend.exitCode !== null) {
      throw new Error(`backend exited early with code ${backend.exitCode}`);
    }
    try {
      const res = await fetch(healthUrl);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`backend not healthy within ${startTimeoutMs / 1000}s`);
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** PIDs listening on the backend's port (Linux `ss`), for what escaped the group. */
function listenersOnBackendPort() {
  const out = spawnSync('ss', ['-ltnpH', 'sport = :7007'], {
    encoding: 'utf8',
  });
  return [...(out.stdout ?? '').matchAll(/pid=(\d+)/g)].map(m => Number(m[1]));
}

/**
 * Stops the backend and everything it started. A backend busy shutting
 * down can ignore SIGTERM for long, and a leftover one would answer the
 * next run's health check, so it gets SIGKILL after ten seconds.
 */
async function stopBackend(backend) {
  signalGroup(backend.pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (
      !(await fetch(healthUrl).then(
        () => true,
        () => false,
      ))
    )
      break;
    await new Promise(r => setTimeout(r, 500));
  }
  signalGroup(backend.pid, 'SIGKILL');
  for (const pid of listenersOnBackendPort()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function main() {
  mkdirSync(artifactsDir, { recursive: true });
  if (!process.env.E2E_SKIP_BUILD) {
    console.log('[e2e] building the app');
    run('yarn', ['workspace', 'app', 'build'], { cwd: repoRoot });
  }

  // A portal left running would answer the health check in place of ours.
  if (
    await fetch(healthUrl).then(
      () => true,
      () => false,
    )
  ) {
    throw new Error(
      'something already listens on :7007; stop it before running the browser tests',
    );
  }
  console.log('[e2e] starting the backend (log: test/artifacts/backend.log)');
  const log = createWriteStream(join(artifactsDir, 'backend.log'));
  // The backend's source run as `backstage-cli package start` runs it
  // (same transform), but without its dev server: that restarts the backend
  // whenever a file in the tree changes, which in a tree being edited means
  // a backend that never stays up long enough to be tested.
  const backend = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [join(repoRoot, 'packages', 'backend')],
      }),
      'src/index.ts',
      '--config',
      join(repoRoot, 'app-config.yaml'),
      '--config',
      join(testDir, 'app-config.e2e.yaml'),
    ],
    {
      cwd: join(repoRoot, 'packages', 'backend'),
      detached: true,
      // development, as `package start` sets it: the demo's guest sign-in
      // is refused outside development.
      env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
    },
  );
  backend.stdout.pipe(log);
  backend.stderr.pipe(log);

  let status = 1;
  try {
    await waitForHealth(backend);
    console.log('[e2e] backend healthy; running browser tests');
    // `yarn test:e2e aks-baseline` runs only the files whose names contain an argument.
    const only = process.argv.slice(2);
    const files = readdirSync(join(testDir, 'e2e'))
      .filter(f => f.endsWith('.test.mjs'))
      .filter(f => only.length === 0 || only.some(o => f.includes(o)))
      .map(f => join(testDir, 'e2e', f));
    const result = spawnSync(
      process.execPath,
      [
        '--test',
        '--test-concurrency=1',
        '--test-reporter=tap',
        '--test-reporter-destination=stdout',
        `--test-reporter=${join(testDir, 'lib', 'summary-reporter.mjs')}`,
        `--test-reporter-destination=${join(artifactsDir, 'e2e-summary.json')}`,
        ...files,
      ],
      {
        stdio: 'inherit',
        cwd: testDir,
        env: { ...process.env, E2E_BASE_URL: baseUrl },
      },
    );
    status = result.status ?? 1;
  } catch (error) {
    console.error(`[e2e] ${error.message}`);
  } finally {
    await stopBackend(backend);
  }
  process.exit(status);
}

main().catch(error => {
  console.error(`[e2e] ${error.message}`);
  process.exit(1);
});
