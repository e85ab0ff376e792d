// Issue #17's platform engineer journey, at desktop and phone sizes: one
// cluster has one score on its overview tile, its row of the overview's
// entities, its Resource card and tab, and from the CLI on the same
// snapshot; the overview explains the score; a row of "Rules failed most"
// opens the entities that fail the rule, each opening its findings of it;
// the owner filter is in the URL, and so are the findings tab's severity,
// category and rule filters.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DESKTOP,
  PHONE,
  launchBrowser,
  newPage,
  openPortal,
  screenshot,
} from '../lib/browser.mjs';
import {
  allFindings,
  backendGet,
  waitForEvaluatedClusters,
} from '../lib/api.mjs';
import { assertHeadingsInOrder } from '../lib/headings.mjs';
import { assertNoSeriousA11yViolations } from '../lib/axe.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLUSTERS = ['aks-prod-westeurope', 'aks-dev-koreacentral'];

let browser;
before(async () => {
  browser = await launchBrowser();
  await waitForEvaluatedClusters(CLUSTERS);
});
after(async () => {
  await browser?.close();
});

/** The CLI's score of a demo snapshot folder, run as its README says. */
function cliScore(cluster) {
  const run = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'packages/aks-baseline-cli/bin/aks-baseline'),
      'scan',
      `examples/clusters/${cluster}`,
      '--format',
      'json',
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout).score;
}

/** The score text of the overview's entities row for `name`. */
async function entitiesRowScore(page, name) {
  const row = page
    .getByTestId('aks-baseline-entities')
    .locator('tbody tr')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
  await row.first().waitFor({ timeout: 60_000 });
  const cells = await row.first().locator('td').allInnerTexts();
  // Entity, owner, score (grade and number), ...
  return cells[2];
}

test('one cluster, one score: its tile, its overview row, its Resource card and tab, and the CLI', async () => {
  const { items } = await backendGet('/api/aks-baseline/clusters');
  const page = await newPage(browser);
  try {
    for (const cluster of CLUSTERS) {
      const portal = items.find(c => c.name === cluster);
      const cli = cliScore(cluster);
      assert.equal(cli.score, portal.score, `${cluster}: CLI and backend`);
      assert.equal(cli.grade, portal.grade);

      await openPortal(page, '/aks-baseline');
      const tile = page.getByTestId(`aks-baseline-cluster-${cluster}`);
      await tile.waitFor({ timeout: 60_000 });
      assert.equal(
        (await tile.getByTestId('aks-baseline-score').innerText()).trim(),
        String(cli.score),
        `${cluster}: tile`,
      );
      await tile.getByRole('img', { name: `Grade ${cli.grade}` }).waitFor();
      assert.match(
        await entitiesRowScore(page, cluster),
        new RegExp(`^\\s*${cli.grade}\\s+${cli.score}\\s*$`),
        `${cluster}: overview row`,
      );

      await tile.getByRole('link', { name: cluster }).click();
      await page.waitForURL(new RegExp(`/resource/${cluster}$`));
      const card = page.locator('.aks-baseline-cluster-card');
      const cardScore = card.getByTestId('aks-baseline-score');
      await cardScore.waitFor({ timeout: 60_000 });
      assert.equal(
        (await cardScore.innerText()).trim(),
        String(cli.score),
        `${cluster}: Resource card`,
      );
      // The card's subset numbers say what they cover.
      await card.getByText('Failing checks (whole cluster)').waitFor();
      await assertHeadingsInOrder(card, 2);

      await page
        .locator('main')
        .getByRole('link', { name: 'AKS Baseline', exact: true })
        .click();
      const content = page.getByTestId('aks-baseline-cluster-content');
      await content.waitFor({ timeout: 60_000 });
      assert.equal(
        (
          await content
            .getByTestId('aks-baseline-section-score')
            .getByTestId('aks-baseline-score')
            .innerText()
        ).trim(),
        String(cli.score),
        `${cluster}: Resource tab`,
      );
      await assertHeadingsInOrder(content, 2);
    }
  } finally {
    await page.close();
  }
});

for (const [viewport, suffix] of [
  [DESKTOP, ''],
  [PHONE, '-phone'],
]) {
  test(`platform engineer${
    suffix ? ' on a phone' : ''
  }: the overview explains the score, and "Rules failed most" opens the entities that fail a rule`, async () => {
    const overview = await backendGet('/api/aks-baseline/overview');
    const rule = overview.topFailingRules[0];
    const failing = await backendGet(
      `/api/aks-baseline/rules/${encodeURIComponent(rule.ruleId)}/entities`,
    );
    assert.ok(failing.items.length > 0, `entities fail ${rule.ruleId}`);
    const page = await newPage(browser, viewport);
    try {
      await openPortal(page, '/aks-baseline');
      const root = page.getByTestId('aks-baseline-overview');
      await root.waitFor({ timeout: 60_000 });
      await page.getByTestId('aks-baseline-entities').waitFor({
        timeout: 60_000,
      });
      await assertHeadingsInOrder(root, 2);
      await screenshot(page, `platform-overview${suffix}`);

      await page.getByRole('button', { name: 'How is this scored?' }).click();
      const help = page.getByRole('dialog', { name: 'How is this scored?' });
      assert.match(await help.innerText(), /not the mean of their scores/);
      await help.getByRole('button', { name: 'Close' }).click();
      await help.waitFor({ state: 'detached' });

      await page
        .getByTestId('aks-baseline-top-failing-rules')
        .getByRole('button', {
          name: `${rule.title}: show the entities that fail ${rule.baselineRef}`,
        })
        .click();
      const dialog = page.getByRole('dialog', {
        name: `Entities failing ${rule.baselineRef} · ${rule.title}`,
      });
      const list = dialog.getByTestId('aks-baseline-rule-entities');
      const first = failing.items[0];
      const name = first.entityRef.split('/').pop();
      const open = list.getByRole('link', {
        name: `Open the ${first.failures} ${rule.baselineRef} finding${
          first.failures === 1 ? '' : 's'
        } of ${name}`,
      });
      await open.waitFor({ timeout: 30_000 });
      const listed = (await list.locator('tbody tr').count()) || 0;
      assert.equal(listed, failing.items.length);
      await screenshot(page, `rules-failed-most-entities${suffix}`);

      // The failures open that entity's findings of the rule.
      const [kind] = first.entityRef.split(':');
      const findings = await allFindings(
        `/api/aks-baseline/entities/default/${kind}/${name}/findings`,
      );
      const ofRule = findings.filter(f => f.ruleId === rule.ruleId);
      await open.click();
      await page.waitForURL(
        new RegExp(
          `/catalog/default/${kind}/${name}/aks-baseline\\?(.*&)?rule=${rule.ruleId}\\b`,
        ),
      );
      if (kind === 'resource') {
        await page
          .getByTestId('aks-baseline-findings-count')
          .filter({ hasText: `Showing ${ofRule.length} of ` })
          .waitFor({ timeout: 60_000 });
      } else {
        await page
          .getByTestId('aks-baseline-findings-count')
          .filter({
            hasText: `Showing ${ofRule.length} of ${findings.length} findings`,
          })
          .waitFor({ timeout: 60_000 });
      }
    } finally {
      await page.close();
    }
  });
}

test('filters are in the URL: the overview owner, the findings severity, category and rule', async () => {
  const owner = 'group:default/team-payments';
  const ownerOverview = await backendGet(
    `/api/aks-baseline/overview?owner=${encodeURIComponent(owner)}`,
  );
  const page = await newPage(browser);
  try {
    await openPortal(page, '/aks-baseline');
    const filter = page.locator('#aks-baseline-owner-filter');
    await filter.waitFor({ timeout: 60_000 });
    await filter.selectOption(owner);
    await page.waitForURL(/[?&]owner=group%3Adefault%2Fteam-payments\b/);
    // A shared link opens the same view.
    const other = await newPage(browser);
    try {
      await openPortal(
        other,
        new URL(page.url()).pathname + new URL(page.url()).search,
      );
      const rows = other
        .getByTestId('aks-baseline-entities')
        .locator('tbody tr');
      await other
        .getByTestId('aks-baseline-entities')
        .getByRole('link', {
          name: ownerOverview.entities[0].entityRef.split('/').pop(),
          exact: true,
        })
        .first()
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await other.locator('#aks-baseline-owner-filter').inputValue(),
        owner,
      );
      const names = await rows.evaluateAll(trs =>
        trs.map(tr => tr.querySelector('td a')?.textContent?.trim()),
      );
      assert.deepEqual(
        names.filter(Boolean),
        ownerOverview.entities.map(e => e.entityRef.split('/').pop()),
      );
    } finally {
      await other.close();
    }

    // The findings tab: severity, category and rule, all in the URL.
    const path = '/api/aks-baseline/entities/default/component/payments-worker';
    const findings = await allFindings(`${path}/findings`);
    const pick = findings.find(f => f.severity === 'high') ?? findings[0];
    const matching = findings.filter(
      f =>
        f.severity === pick.severity &&
        f.category === pick.category &&
        f.ruleId === pick.ruleId,
    );
    await openPortal(
      page,
      '/catalog/default/component/payments-worker/aks-baseline',
    );
    await page
      .getByTestId('aks-baseline-findings-count')
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('combobox', { name: 'Severity', exact: true })
      .selectOption(pick.severity);
    await page
      .getByRole('combobox', { name: 'Category', exact: true })
      .selectOption(pick.category);
    await page
      .getByRole('combobox', { name: 'Rule', exact: true })
      .selectOption(pick.ruleId);
    await page
      .getByText(`Showing ${matching.length} of ${findings.length} findings`)
      .waitFor({ timeout: 30_000 });
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get('severity'), pick.severity);
    assert.equal(params.get('category'), pick.category);
    assert.equal(params.get('rule'), pick.ruleId);
    // Reloaded from the URL, the same view.
    await page.reload();
    await page
      .getByText(`Showing ${matching.length} of ${findings.length} findings`)
      .waitFor({ timeout: 60_000 });
    await assertNoSeriousA11yViolations(
      page,
      '[data-testid="aks-baseline-content"]',
    );
  } finally {
    await page.close();
  }
});
