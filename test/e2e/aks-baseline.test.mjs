// The AKS Baseline pages on the demo snapshots: the card on a service page
// shows the score the backend computed, the tab lists and filters findings
// (in the URL), the overview lists both demo clusters and links them to
// their pages, the cluster page has its card; axe-core finds no serious or
// critical violation in the plugin's part of each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPortal, screenshot } from '../lib/browser.mjs';
import {
  TABLE_STATUSES,
  allFindings,
  backendGet,
  backendPost,
  waitForEvaluatedClusters,
} from '../lib/api.mjs';
import { assertNoSeriousA11yViolations } from '../lib/axe.mjs';

const CLUSTERS = ['aks-prod-westeurope', 'aks-dev-koreacentral'];

let browser;
before(async () => {
  browser = await launchBrowser();
  // The first scheduled evaluation runs shortly after the backend starts.
  await waitForEvaluatedClusters(CLUSTERS);
});
after(async () => {
  await browser?.close();
});

/** A page in a context of its own (axe-core runs in a context's pages only). */
async function newPage(viewport = { width: 1440, height: 1000 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  return page;
}

/**
 * An entity page's tab: a link in the page's header (the sidebar has an
 * "AKS Baseline" link of its own, to the overview).
 */
function entityTab(page, name) {
  return page.locator('main').getByRole('link', { name, exact: true });
}

/** A phone's viewport, the width the findings table must fit. */
const PHONE = { width: 390, height: 844 };

test('a service page shows the card with the backend score', async () => {
  const expected = await backendGet(
    '/api/aks-baseline/entities/default/component/checkout-api/score',
  );
  const page = await newPage();
  try {
    await openPortal(page, '/catalog/default/component/checkout-api');
    const card = page.getByTestId('aks-baseline-card');
    await card.waitFor({ timeout: 60_000 });
    const score = card.getByTestId('aks-baseline-score');
    await score.waitFor();
    assert.equal((await score.innerText()).trim(), String(expected.score));
    await card.getByRole('img', { name: `Grade ${expected.grade}` }).waitFor();
    const high = await card.getByTestId('aks-baseline-count-high').innerText();
    assert.match(high, new RegExp(`^${expected.counts.failing.high}\\s*high`));
    // The card's footer links to the tab.
    await page.getByRole('link', { name: /View all findings/ }).waitFor();
    await page
      .getByRole('heading', { level: 2, name: 'AKS Baseline' })
      .waitFor();
    await assertNoSeriousA11yViolations(page, '.aks-baseline-entity-card');
  } finally {
    await screenshot(page, 'service-card');
    await page.close();
  }
});

test('the tab lists the findings and filters them', async () => {
  const expected = {
    findings: await allFindings(
      '/api/aks-baseline/entities/default/component/payments-worker/findings',
    ),
  };
  const highFindings = expected.findings.filter(f => f.severity === 'high');
  assert.ok(highFindings.length > 0, 'the demo has high findings to filter');
  assert.ok(expected.findings.length > highFindings.length);

  const page = await newPage();
  try {
    await openPortal(page, '/catalog/default/component/payments-worker');
    await entityTab(page, 'AKS Baseline').click();
    const findings = page.getByTestId('aks-baseline-findings');
    await findings.waitFor({ timeout: 60_000 });
    // The count first says "N findings" while the first page loads, then
    // "Showing N of N findings" once the backend has counted the matches.
    const count = page.getByTestId('aks-baseline-findings-count');
    const total = expected.findings.length;
    await count
      .filter({ hasText: `Showing ${total} of ${total} findings` })
      .waitFor();

    // Filter by severity: only the high findings remain.
    await page
      .getByRole('combobox', { name: 'Severity', exact: true })
      .selectOption('high');
    await page
      .getByText(
        `Showing ${highFindings.length} of ${expected.findings.length} findings`,
      )
      .waitFor();

    // Open one: its evidence, copyable fix and baseline key are shown.
    const rules = await backendGet('/api/aks-baseline/rules');
    const rule = rules.items.find(r => r.id === highFindings[0].ruleId);
    await findings.locator('tbody').getByText(rule.title).first().click();
    const details = page.getByTestId('aks-baseline-finding-details').first();
    await details.waitFor();
    assert.match(
      await details.getByTestId('aks-baseline-baseline-key').innerText(),
      new RegExp(rule.baselineRef),
    );
    await details.getByRole('table', { name: 'Evidence' }).waitFor();
    // A copy button: the finding's own fix ("Copy the YAML change", ...) or
    // the rule's remediation ("Copy text").
    await details
      .getByRole('button', { name: /^Copy / })
      .first()
      .waitFor();
    // The filter is in the URL, so the view can be shared.
    assert.match(new URL(page.url()).search, /[?&]severity=high\b/);
    // Each row's toggle is named after its finding.
    const first = highFindings[0];
    await findings
      .getByRole('button', {
        name: `Hide evidence for ${first.baselineRef} on ${first.resource.name}`,
      })
      .first()
      .waitFor();
    await screenshot(page, 'findings-tab-filtered');
    await assertNoSeriousA11yViolations(
      page,
      '[data-testid="aks-baseline-content"]',
    );
  } finally {
    await page.close();
  }
});

test('a shared link opens the tab filtered, and a phone sees the rule first', async () => {
  const findings = await allFindings(
    '/api/aks-baseline/entities/default/component/payments-worker/findings',
  );
  const ruleId = findings[0].ruleId;
  const ofRule = findings.filter(f => f.ruleId === ruleId);
  const page = await newPage(PHONE);
  try {
    await openPortal(
      page,
      `/catalog/default/component/payments-worker/aks-baseline?rule=${encodeURIComponent(
        ruleId,
      )}`,
    );
    const table = page.getByTestId('aks-baseline-findings');
    await table.waitFor({ timeout: 60_000 });
    await page
      .getByText(`Showing ${ofRule.length} of ${findings.length} findings`)
      .waitFor();
    // The first titled column after the row toggles' (its title visually
    // hidden) is the rule's; headers are upper-cased by the theme.
    const headers = (await table.getByRole('columnheader').allInnerTexts())
      .map(h => h.trim().toLowerCase())
      .filter(h => h && h !== 'details');
    assert.equal(headers[0], 'rule');
    await screenshot(page, 'findings-tab-phone');
  } finally {
    await page.close();
  }
});

test('the overview lists both demo clusters', async () => {
  const { items } = await backendGet('/api/aks-baseline/clusters');
  const page = await newPage();
  try {
    await openPortal(page, '/aks-baseline');
    await page.getByRole('heading', { name: 'AKS Baseline' }).first().waitFor();
    for (const cluster of items) {
      const region = page.getByTestId(`aks-baseline-cluster-${cluster.name}`);
      await region.waitFor({ timeout: 60_000 });
      assert.match(
        await region.innerText(),
        new RegExp(`\\b${cluster.score}\\b`),
      );
    }
    assert.deepEqual(items.map(c => c.name).sort(), [...CLUSTERS].sort());
    await assertNoSeriousA11yViolations(
      page,
      '[data-testid="aks-baseline-overview"]',
    );
    await assertNoSeriousA11yViolations(page, '#aks-baseline-owner-filter');
  } finally {
    await screenshot(page, 'overview');
    await page.close();
  }
});

test("a cluster tile opens the cluster's page, which has the cluster card", async () => {
  const page = await newPage();
  try {
    await openPortal(page, '/aks-baseline');
    const tile = page.getByTestId('aks-baseline-cluster-aks-prod-westeurope');
    await tile.waitFor({ timeout: 60_000 });
    await tile.getByRole('link', { name: 'aks-prod-westeurope' }).click();
    await page.waitForURL(/\/catalog\/default\/resource\/aks-prod-westeurope/);
    const card = page.locator('.aks-baseline-cluster-card');
    await card
      .getByTestId('aks-baseline-cluster-body')
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'cluster-page');
    await assertNoSeriousA11yViolations(page, '.aks-baseline-cluster-card');
  } finally {
    await page.close();
  }
});

test("a cluster's AKS Baseline tab lists all its findings, its checklist and history", async () => {
  const cluster = 'aks-prod-westeurope';
  const detail = await backendGet(`/api/aks-baseline/clusters/${cluster}`);
  const { total } = await backendGet(
    `/api/aks-baseline/clusters/${cluster}/findings?status=${TABLE_STATUSES}&limit=1`,
  );
  const history = await backendGet(
    `/api/aks-baseline/clusters/${cluster}/history`,
  );
  assert.ok(history.items.length > 0, 'the cluster has a history');
  const page = await newPage();
  try {
    await openPortal(page, `/catalog/default/resource/${cluster}`);
    // The card lists the cluster-level rules; every finding is in the tab.
    const card = page.locator('.aks-baseline-cluster-card');
    await card.getByTestId('aks-baseline-cluster-body').waitFor({
      timeout: 60_000,
    });
    await entityTab(page, 'AKS Baseline').click();

    await page.waitForURL(/\/resource\/aks-prod-westeurope\/aks-baseline/);
    const content = page.getByTestId('aks-baseline-cluster-content');
    await content.waitFor({ timeout: 60_000 });
    // The whole cluster's score, as the backend has it.
    const scoreSection = content.getByTestId('aks-baseline-section-score');
    assert.equal(
      (await scoreSection.getByTestId('aks-baseline-score').innerText()).trim(),
      String(detail.score),
    );
    // One run so far: the trend says when it appears (a line from two runs).
    await scoreSection.getByTestId('aks-baseline-trend').waitFor();
    // Every finding of the cluster, not the card's first few.
    await page
      .getByTestId('aks-baseline-findings-count')
      .filter({ hasText: `Showing ${total} of ${total} findings` })
      .waitFor({ timeout: 60_000 });
    // The cluster-operations checklist (kube-bench, cost reviews, DR tests).
    await content
      .getByTestId('aks-baseline-section-manual')
      .getByText(/kube-bench/)
      .first()
      .waitFor();
    // Off the sidebar, which opens over the page while hovered.
    await page.mouse.move(1400, 500);
    await screenshot(page, 'cluster-tab');
    await assertNoSeriousA11yViolations(
      page,
      '[data-testid="aks-baseline-cluster-content"]',
    );
  } finally {
    await page.close();
  }
  // A phone reaches the tab from the cluster's page and sees the rule first.
  const phone = await newPage(PHONE);
  try {
    await openPortal(phone, `/catalog/default/resource/${cluster}`);
    await entityTab(phone, 'AKS Baseline').click({ timeout: 60_000 });
    await phone.waitForURL(/\/resource\/aks-prod-westeurope\/aks-baseline/);
    const table = phone.getByTestId('aks-baseline-findings');
    await table.waitFor({ timeout: 60_000 });
    await phone
      .getByText(`Showing ${total} of ${total} findings`)
      .waitFor({ timeout: 60_000 });
    const headers = (await table.getByRole('columnheader').allInnerTexts())
      .map(h => h.trim().toLowerCase())
      .filter(h => h && h !== 'details');
    assert.equal(headers[0], 'rule');
    await screenshot(phone, 'cluster-tab-phone');
  } finally {
    await phone.close();
  }
});

/** Checks a Group or System card against the backend's rollup of the same entities. */
async function assertRollupCard(page, rollup) {
  const card = page.locator('.aks-baseline-group-card');
  await card
    .getByTestId('aks-baseline-group-body')
    .waitFor({ timeout: 60_000 });
  assert.equal(
    (await card.getByTestId('aks-baseline-score').innerText()).trim(),
    String(rollup.score),
  );
  // The entities, lowest score first, each linked to its page.
  const list = card.getByTestId('aks-baseline-group-entities');
  const names = rollup.entities
    .slice(0, 10)
    .map(e => e.entityRef.split('/')[1]);
  const links = await list.getByRole('link').allInnerTexts();
  assert.deepEqual(
    links.map(l => l.trim()),
    names,
  );
  await card.getByText(/it is not the mean of their scores/).waitFor();
  await card.getByTestId('aks-baseline-trend').waitFor();
  await assertNoSeriousA11yViolations(page, '.aks-baseline-group-card');
}

test("a team's page has its AKS Baseline card, lowest-scored entities first", async () => {
  const rollup = await backendGet(
    '/api/aks-baseline/rollup?owner=group:default/team-payments',
  );
  assert.ok(rollup.entities.length > 0, 'team-payments has scored services');
  for (const [viewport, name] of [
    [undefined, 'group-card'],
    [PHONE, 'group-card-phone'],
  ]) {
    const page = await newPage(viewport);
    try {
      await openPortal(page, '/catalog/default/group/team-payments');
      await assertRollupCard(page, rollup);
      await page.locator('.aks-baseline-group-card').scrollIntoViewIfNeeded();
      await screenshot(page, name);
    } finally {
      await page.close();
    }
  }
});

test("a system's page has the card over its parts", async () => {
  const system = await backendGet(
    '/api/catalog/entities/by-name/system/default/online-store',
  );
  const allParts = system.relations
    .filter(r => r.type === 'hasPart')
    .map(r => r.targetRef);
  // Its cluster Resources are listed apart, out of the pooled score: a
  // cluster's score covers the system's components too.
  const { items } = await backendPost('/api/catalog/entities/by-refs', {
    entityRefs: allParts,
  });
  const clusters = new Set(
    items
      .filter(e => e?.metadata.annotations?.['aks-baseline.io/cluster'])
      .map(e => `resource:default/${e.metadata.name}`),
  );
  assert.ok(clusters.size > 0, 'online-store has a cluster Resource');
  const parts = allParts.filter(p => !clusters.has(p));
  const rollup = await backendGet(
    `/api/aks-baseline/rollup?entity=${parts
      .map(encodeURIComponent)
      .join(',')}`,
  );
  assert.ok(rollup.entities.length > 1, 'online-store has scored parts');
  const page = await newPage();
  try {
    await openPortal(page, '/catalog/default/system/online-store');
    await assertRollupCard(page, rollup);
    const clusterLinks = await page
      .locator('.aks-baseline-group-card')
      .getByTestId('aks-baseline-group-clusters')
      .getByRole('link')
      .allInnerTexts();
    assert.deepEqual(
      clusterLinks.map(l => l.trim()).sort(),
      [...clusters].map(ref => ref.split('/')[1]).sort(),
    );
    await screenshot(page, 'system-card');
  } finally {
    await page.close();
  }
});
