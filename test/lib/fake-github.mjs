// A fake github.com for the browser tests, at the address the e2e config
// overlay gives the GitHub integration (test/app-config.e2e.yaml). It
// answers what Backstage's GitHub URL reader asks when a template's fetch
// step reads a repository folder: the commit of the ref (with the
// repository's archive URL) and the tarball of that commit, whose top folder
// is named as GitHub names it. Anything else is a 404, and every request is
// recorded (method, path, whether it carried a token; never the token).
import { createServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The port app-config.e2e.yaml points the GitHub integration at. */
export const FAKE_GITHUB_PORT = 7099;

/** A .tar.gz of { 'path/in/repo': 'text' } under GitHub's top folder. */
function tarball(topFolder, files) {
  const root = mkdtempSync(join(tmpdir(), 'fake-github-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      const full = join(root, topFolder, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    const out = spawnSync('tar', ['-czf', '-', '-C', root, topFolder], {
      maxBuffer: 16 * 1024 * 1024,
    });
    if (out.status !== 0) throw new Error(`tar failed: ${out.stderr}`);
    return out.stdout;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Serves one repository (`owner/name`, default branch `branch`, one commit
 * `sha` holding `files`). Resolves to { requests, close() }.
 */
export async function startFakeGithub({ repo, branch, sha, files }) {
  const api = `http://localhost:${FAKE_GITHUB_PORT}/api/v3`;
  const archive = tarball(
    `${repo.replace('/', '-')}-${sha.slice(0, 7)}`,
    files,
  );
  const json = body => ['application/json', JSON.stringify(body)];
  const routes = new Map([
    [
      `/api/v3/repos/${repo}`,
      () => json({ full_name: repo, default_branch: branch }),
    ],
    [
      `/api/v3/repos/${repo}/commits/${branch}/status`,
      () =>
        json({
          state: 'success',
          sha,
          total_count: 0,
          statuses: [],
          repository: {
            full_name: repo,
            archive_url: `${api}/repos/${repo}/{archive_format}{/ref}`,
            trees_url: `${api}/repos/${repo}/git/trees{/sha}`,
          },
        }),
    ],
    [
      `/api/v3/repos/${repo}/tarball/${sha}`,
      () => ['application/x-gzip', archive],
    ],
  ]);

  const requests = [];
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, api);
    requests.push({
      method: req.method,
      path: pathname,
      authorized: Boolean(req.headers.authorization),
    });
    const route = req.method === 'GET' && routes.get(pathname);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const [type, body] = route();
    res.writeHead(200, { 'Content-Type': type });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(FAKE_GITHUB_PORT, resolve);
  });
  return {
    requests,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
