// The namespace template, filled in the portal's template editor and run as
// a dry run by the real scaffolder backend: the rendered manifests and the
// baseline score of 100 come back, and no cluster is contacted. The guest is
// in the platform team, which the demo policy lets create namespaces for any
// team.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPortal, screenshot } from '../lib/browser.mjs';
import {
  installFakeDirectoryPicker,
  readTemplateFiles,
} from '../lib/template-directory.mjs';

const templateDir = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'templates',
  'aks-namespace',
);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('the namespace template dry-runs to baseline-compliant manifests', async () => {
  const page = await browser.newPage({
    viewport: { width: 1600, height: 1000 },
  });
  try {
    await installFakeDirectoryPicker(
      page,
      'aks-namespace',
      readTemplateFiles(templateDir),
    );
    await openPortal(page, '/create/edit');
    await page.getByText('Load Template Directory').click();

    // Step 1: the namespace. The owner picker offers the guest's own groups
    // (platform-engineering only, so it is chosen already).
    await page.locator('#root_namespace').fill('orders-dev');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 2: the platform team's page: any team as owner.
    const owner = page.locator('#root_ownerOverride');
    await owner.click();
    await owner.fill('group:default/team-payments');
    await owner.press('Tab');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3: identity and access.
    await page
      .getByLabel('Workload Identity client id')
      .fill('6f1e8a52-2c1b-4d1e-9a8f-3b7c2d4e5f60');
    await page
      .getByLabel('Team group object id')
      .fill('0b7f3c8e-5d2a-4e9b-8c1f-7a6d5e4c3b21');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 4: no catalog repository (the demo has no GitHub token).
    await page.getByRole('button', { name: 'Review' }).click();

    // Review, then run it: the template editor always runs a dry run.
    await page.getByRole('button', { name: 'Create' }).click();

    // The editor shows the dry run's files first: the catalog entity the
    // template writes and the objects it would apply, as YAML (its Output
    // tab shows the output as JSON, where YAML is one escaped line).
    await page.getByText('Dry-run results').waitFor({ timeout: 60_000 });
    await page.getByRole('treeitem', { name: 'manifests' }).click();
    await page
      .getByRole('treeitem', { name: 'orders-dev.aks-dev-koreacentral.yaml' })
      .click();
    const manifests = page
      .locator('.cm-content')
      .filter({ hasText: 'kind: Namespace' });
    await manifests.waitFor({ timeout: 30_000 });
    const lines = await manifests.locator('.cm-line').allInnerTexts();
    assert.deepEqual(lines.slice(0, 2), ['apiVersion: v1', 'kind: Namespace']);
    assert.ok(lines.includes('  name: orders-dev'), lines.join('\n'));
    assert.ok(
      lines.includes('    pod-security.kubernetes.io/enforce: baseline'),
      lines.join('\n'),
    );
    const yaml = lines.join('\n');
    assert.doesNotMatch(yaml, /\\n/);
    assert.doesNotMatch(yaml, /\{"apiVersion"/);
    await screenshot(page, 'scaffolder-namespace-dry-run-manifests');
    await page.getByRole('tab', { name: 'Output' }).click();
    const result = page.getByText(/AKS baseline score of the applied objects/);
    await result.waitFor({ timeout: 60_000 });
    const text = await page.locator('body').innerText();
    assert.match(text, /\b100\b/);
    for (const kind of [
      'kind: Namespace',
      'kind: ResourceQuota',
      'kind: LimitRange',
      'kind: NetworkPolicy',
      'kind: ServiceAccount',
      'kind: RoleBinding',
    ]) {
      assert.ok(text.includes(kind), `the output shows ${kind}`);
    }
    assert.match(text, /pod-security\.kubernetes\.io\/enforce: baseline/);
    // The platform team may act for another team: the override is the owner.
    assert.match(text, /aks-baseline\.io\/owner: group:default\/team-payments/);
  } finally {
    await screenshot(page, 'scaffolder-namespace-dry-run');
    await page.close();
  }
});
