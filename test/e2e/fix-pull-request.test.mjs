// Issue #14's fix pull request, in the portal: checkout-api's AKS Baseline
// tab links to the aks-baseline-fix-pr template with the form filled in for
// the component, and the template's dry run (the template editor's) fetches
// the manifests from the component's repository, on a fake GitHub, and
// shows the diff of the safe fixes. The dry run opens no pull request: the
// scaffolder runs publish:github:pull-request in dry-run mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DESKTOP,
  launchBrowser,
  newPage,
  openPortal,
  screenshot,
} from '../lib/browser.mjs';
import {
  installFakeDirectoryPicker,
  readTemplateFiles,
} from '../lib/template-directory.mjs';
import { startFakeGithub } from '../lib/fake-github.mjs';
import { backendGet, waitForEvaluatedClusters } from '../lib/api.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEMPLATE = 'aks-baseline-fix-pr';
// checkout-api's annotations in examples/entities.yaml.
const REPO = 'contoso/online-store';
const MANIFESTS_PATH = 'deploy/checkout-api';
const SHA = '3f9c2d7e8a1b4c5d6e7f8091a2b3c4d5e6f70812';
// A typical hand-written manifest that predates the baseline (the CLI's
// golden noncompliant fixture): its containers lack the security context
// the safe fixes add.
const MANIFEST = readFileSync(
  join(
    repoRoot,
    'packages/aks-baseline-cli/src/__fixtures__/noncompliant.yaml',
  ),
  'utf8',
);

let browser;
let github;
before(async () => {
  github = await startFakeGithub({
    repo: REPO,
    branch: 'main',
    sha: SHA,
    files: {
      'README.md': '# online-store\n',
      [`${MANIFESTS_PATH}/deployment.yaml`]: MANIFEST,
    },
  });
  browser = await launchBrowser();
  // The tab shows its findings, and the button with them, once evaluated.
  await waitForEvaluatedClusters([
    'aks-prod-westeurope',
    'aks-dev-koreacentral',
  ]);
});
after(async () => {
  await browser?.close();
  await github?.close();
});

test('the AKS Baseline tab opens the fix pull request template filled in for the component', async () => {
  const page = await newPage(browser, DESKTOP);
  try {
    const component = await backendGet(
      '/api/catalog/entities/by-name/component/default/checkout-api',
    );
    assert.equal(
      component.metadata.annotations['aks-baseline.io/manifests-path'],
      MANIFESTS_PATH,
    );
    await openPortal(
      page,
      '/catalog/default/component/checkout-api/aks-baseline',
    );
    // A router link that MUI gives the button role.
    const button = page.getByRole('button', {
      name: 'Open a fix pull request',
    });
    await button.waitFor({ timeout: 60_000 });
    await screenshot(page, 'fix-pr-button');
    await button.click();

    await page.waitForURL(
      new RegExp(`/create/templates/default/${TEMPLATE}\\?`),
    );
    const formData = JSON.parse(
      new URL(page.url()).searchParams.get('formData') ?? 'null',
    );
    assert.deepEqual(formData, { entity: 'component:default/checkout-api' });
    await page.getByText('AKS baseline fix pull request').first().waitFor({
      timeout: 60_000,
    });
    const entity = page.locator('#root_entity');
    await entity.waitFor({ timeout: 60_000 });
    // The picker shows the entity once the catalog has answered.
    await page.waitForFunction(
      () =>
        document.querySelector('#root_entity')?.value ===
        'component:default/checkout-api',
      undefined,
      { timeout: 30_000 },
    );
  } finally {
    await screenshot(page, 'fix-pr-template-prefilled');
    await page.close();
  }
});

test('the fix pull request template dry-runs to the diff of the fixed manifests', async () => {
  const page = await newPage(browser, { width: 1600, height: 1000 });
  try {
    await installFakeDirectoryPicker(
      page,
      TEMPLATE,
      readTemplateFiles(join(repoRoot, 'templates', TEMPLATE)),
    );
    await openPortal(page, '/create/edit');
    await page.getByText('Load Template Directory').click();

    // The component: the only one that names its repository, so the
    // picker has chosen it already, as the tab's link fills it in.
    await page.waitForFunction(
      () =>
        document.querySelector('#root_entity')?.value ===
        'component:default/checkout-api',
      undefined,
      { timeout: 60_000 },
    );
    await page.getByRole('button', { name: 'Review' }).click();
    const dryRun = page.waitForResponse(
      r =>
        r.url().endsWith('/api/scaffolder/v2/dry-run') &&
        r.request().method() === 'POST',
      { timeout: 90_000 },
    );
    await page.getByRole('button', { name: 'Create' }).click();
    const response = await dryRun;
    assert.equal(response.status(), 200);

    // The Output tab shows the template's output as JSON, the fix step's
    // text (description and diff) as one long string: the editor renders
    // only the visible part of so long a line, so the diff is read from the
    // dry-run response the page shows.
    await page.getByText('Dry-run results').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Output' }).click();
    await page
      .locator('.cm-line')
      .filter({ hasText: '"title": "Fixes (1 files changed)"' })
      .waitFor({ timeout: 60_000 });
    await page
      .locator('.cm-line')
      .filter({
        hasText: `"content": "This pull request applies the AKS baseline's safe fixes`,
      })
      .waitFor();
    const { output } = await response.json();
    const fixes = output.text.find(t => t.title === 'Fixes (1 files changed)');
    assert.ok(fixes, 'the output has the fixes text');
    const diff = fixes.content.slice(fixes.content.indexOf('```diff'));
    assert.match(
      diff,
      new RegExp(`^--- a/${MANIFESTS_PATH}/deployment.yaml$`, 'm'),
    );
    assert.match(
      diff,
      new RegExp(`^\\+\\+\\+ b/${MANIFESTS_PATH}/deployment.yaml$`, 'm'),
    );
    for (const added of [
      'allowPrivilegeEscalation: false',
      'runAsNonRoot: true',
      'type: RuntimeDefault',
    ]) {
      assert.match(
        diff,
        new RegExp(`^\\+\\s+${added}$`, 'm'),
        `the diff adds ${added}`,
      );
    }
    // The manifests came from the component's repository, read with the
    // integration's token.
    const tarball = github.requests.find(
      r => r.path === `/api/v3/repos/${REPO}/tarball/${SHA}`,
    );
    assert.ok(tarball, 'the repository tarball was fetched');
    assert.ok(tarball.authorized, 'with the integration token');
  } finally {
    await screenshot(page, 'fix-pr-dry-run');
    await page.close();
  }
});
