// Issue #17's developer journey, at desktop and phone sizes: a service's
// card explains its score ("How is this scored?") and its top failing rules
// open the tab filtered by rule, with the same score; a category at 0 is a
// red stub; the service page's checklist lists the service items (the
// cluster page the cluster ones) and a confirmation is shared; the passed
// checks are listed beside the failures; the Kubernetes tab shows the same
// clusters' objects; an entity without the Kubernetes annotations shows the
// missing-annotation empty state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

const CLUSTERS = ['aks-prod-westeurope', 'aks-dev-koreacentral'];

let browser;
before(async () => {
  browser = await launchBrowser();
  await waitForEvaluatedClusters(CLUSTERS);
});
after(async () => {
  await browser?.close();
});

/** The grade of a score, as docs/scoring.md defines it. */
function gradeOf(score) {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

/** An entity page's tab (the sidebar has an "AKS Baseline" link of its own). */
function entityTab(page, name) {
  return page.locator('main').getByRole('link', { name, exact: true });
}

/** Opens "How is this scored?" in `scope` and checks what it explains. */
async function assertScoringHelp(page, scope) {
  await scope.getByRole('button', { name: 'How is this scored?' }).click();
  const dialog = page.getByRole('dialog', { name: 'How is this scored?' });
  await dialog.waitFor();
  const text = await dialog.innerText();
  assert.match(text, /critical 10, high 5, medium 2, low 1/);
  assert.match(text, /it is not the mean of their scores/);
  assert.match(text, /A overall and F in one category/);
  return dialog;
}

for (const [viewport, suffix] of [
  [DESKTOP, ''],
  [PHONE, '-phone'],
]) {
  test(`developer${
    suffix ? ' on a phone' : ''
  }: the card explains the score and its top failing rules open the tab filtered, with the same score`, async () => {
    const entity = '/api/aks-baseline/entities/default/component/checkout-api';
    const expected = await backendGet(`${entity}/score`);
    const findings = await allFindings(`${entity}/findings`);
    const page = await newPage(browser, viewport);
    try {
      await openPortal(page, '/catalog/default/component/checkout-api');
      const card = page.locator('.aks-baseline-entity-card');
      const score = card.getByTestId('aks-baseline-score');
      await score.waitFor({ timeout: 60_000 });
      assert.equal((await score.innerText()).trim(), String(expected.score));
      await assertHeadingsInOrder(card, 2);
      // "A overall, F in Networking" says why in one line.
      const [lowest] = expected.categories
        .filter(c => c.score !== null)
        .sort((a, b) => a.score - b.score);
      assert.notEqual(gradeOf(lowest.score), expected.grade);
      assert.match(
        await card.getByTestId('aks-baseline-grade-gap').innerText(),
        new RegExp(
          `is ${gradeOf(lowest.score)} while the whole is ${
            expected.grade
          }: a category's score counts only its own checks`,
        ),
      );

      const dialog = await assertScoringHelp(page, card);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `developer-card${suffix}`);

      // The first of the top failing rules opens the tab on its findings.
      const topRule = card
        .getByTestId('aks-baseline-top-rules')
        .getByRole('link')
        .first();
      const href = await topRule.getAttribute('href');
      const ruleId = new URL(href, 'http://x').searchParams.get('rule');
      assert.ok(ruleId, `the link names its rule: ${href}`);
      const ofRule = findings.filter(f => f.ruleId === ruleId);
      assert.ok(ofRule.length > 0, `${ruleId} has findings`);
      await topRule.click();
      await page.waitForURL(
        new RegExp(
          `/component/checkout-api/aks-baseline\\?(.*&)?rule=${ruleId}\\b`,
        ),
      );
      await page
        .getByTestId('aks-baseline-findings-count')
        .filter({
          hasText: `Showing ${ofRule.length} of ${findings.length} findings`,
        })
        .waitFor({ timeout: 60_000 });
      // The tab's score is the card's.
      const content = page.getByTestId('aks-baseline-content');
      assert.equal(
        (
          await content.getByTestId('aks-baseline-score').first().innerText()
        ).trim(),
        String(expected.score),
      );
      await assertScoringHelp(page, content);
      await page.keyboard.press('Escape');
      await assertHeadingsInOrder(content, 2);
      await page.mouse.move(viewport.width - 10, viewport.height / 2);
      await screenshot(page, `developer-tab-rule${suffix}`);

      // The tab is reachable from the page's tabs, on a phone too.
      await openPortal(page, '/catalog/default/component/checkout-api');
      await entityTab(page, 'AKS Baseline').click({ timeout: 60_000 });
      await page.waitForURL(/\/component\/checkout-api\/aks-baseline/);
      await page
        .getByTestId('aks-baseline-findings-count')
        .filter({
          hasText: `Showing ${findings.length} of ${findings.length} findings`,
        })
        .waitFor({ timeout: 60_000 });
    } finally {
      await page.close();
    }
  });
}

test('a category at 0 is a visible red stub, not an empty bar', async () => {
  const expected = await backendGet(
    '/api/aks-baseline/entities/default/component/catalog-search/score',
  );
  const zero = expected.categories.find(c => c.score === 0);
  assert.ok(zero, 'catalog-search has a category at 0');
  const page = await newPage(browser);
  try {
    await openPortal(page, '/catalog/default/component/catalog-search');
    const card = page.locator('.aks-baseline-entity-card');
    const bars = card.getByTestId('aks-baseline-categories');
    await bars.waitFor({ timeout: 60_000 });
    const bar = bars.getByRole('progressbar', {
      name: new RegExp(`: 0 out of 100, grade F$`),
    });
    assert.ok((await bar.count()) > 0, 'a bar reads out 0');
    const stub = await bar.first().evaluate(track => {
      const fill = track.querySelector('.MuiLinearProgress-bar');
      const shown = fill.getBoundingClientRect();
      const box = track.getBoundingClientRect();
      return {
        valueNow: track.getAttribute('aria-valuenow'),
        visibleWidth: Math.min(shown.right, box.right) - box.left,
        color: getComputedStyle(fill).backgroundColor,
      };
    });
    assert.equal(stub.valueNow, '0');
    assert.ok(stub.visibleWidth >= 2, `a visible stub: ${stub.visibleWidth}px`);
    const [r, g, b] = stub.color.match(/\d+/g).map(Number);
    assert.ok(r > 150 && r > g * 1.5 && r > b * 1.5, `red: ${stub.color}`);
    await bars.scrollIntoViewIfNeeded();
    await screenshot(page, 'category-zero-stub');
  } finally {
    await page.close();
  }
});

/** The manual checklist's items, by rule id, in `scope`. */
async function checklistIds(scope) {
  const list = scope.getByTestId('aks-baseline-manual-checklist');
  await list.waitFor({ timeout: 60_000 });
  return list
    .locator('[data-testid^="aks-baseline-manual-"]')
    .evaluateAll(items =>
      items
        .map(i => i.getAttribute('data-testid'))
        .filter(id => id !== 'aks-baseline-manual-checklist')
        .map(id => id.slice('aks-baseline-manual-'.length)),
    );
}

test("the service page's checklist has the service items, the cluster page's the cluster ones, and a confirmation is shared", async () => {
  const rules = (await backendGet('/api/aks-baseline/rules')).items.filter(
    r => r.manual && r.enabled !== false,
  );
  const serviceItems = rules
    .filter(r => r.manual.concerns !== 'cluster')
    .map(r => r.id);
  const clusterItems = rules
    .filter(r => r.manual.concerns !== 'service')
    .map(r => r.id);
  assert.ok(
    rules.some(r => r.manual.concerns === 'cluster') &&
      rules.some(r => r.manual.concerns === 'service'),
    'the catalog has service and cluster items',
  );

  const page = await newPage(browser);
  const other = await newPage(browser);
  try {
    await openPortal(
      page,
      '/catalog/default/component/checkout-api/aks-baseline',
    );
    const section = page.getByTestId('aks-baseline-content');
    assert.deepEqual(
      (await checklistIds(section)).sort(),
      [...serviceItems].sort(),
    );
    assert.doesNotMatch(await section.innerText(), /kube-bench/);

    // Confirmed here, seen in another browser session and stored by the
    // backend with who and when.
    const ruleId = serviceItems[0];
    const item = section.getByTestId(`aks-baseline-manual-${ruleId}`);
    await item.getByRole('checkbox').click();
    await item.getByText(/^Confirmed by guest on /).waitFor();
    const stored = await backendGet(
      '/api/aks-baseline/entities/default/component/checkout-api/manual',
    );
    const confirmation = stored.confirmations.find(c => c.ruleId === ruleId);
    assert.equal(confirmation?.by, 'user:default/guest');
    // It lasts the configured period.
    const days =
      (Date.parse(confirmation.expiresAt) -
        Date.parse(confirmation.confirmedAt)) /
      86_400_000;
    assert.equal(Math.round(days), stored.ttlDays);
    await screenshot(page, 'manual-checklist-confirmed');

    await openPortal(
      other,
      '/catalog/default/component/checkout-api/aks-baseline',
    );
    await other
      .getByTestId(`aks-baseline-manual-${ruleId}`)
      .getByText(/^Confirmed by guest on /)
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await other
        .getByTestId(`aks-baseline-manual-${ruleId}`)
        .getByRole('checkbox')
        .isChecked(),
      true,
    );
    // Withdrawn again, so a rerun starts from the same state.
    await item.getByRole('checkbox').click();
    await item.getByText('Not confirmed').waitFor();
    // Both changes are in the checklist's history, with who.
    const rule = rules.find(r => r.id === ruleId);
    await section.getByRole('button', { name: /^History \(\d+\)$/ }).click();
    const history = section.getByRole('list', { name: 'Checklist history' });
    for (const action of ['confirmed', 'withdrawn']) {
      await history
        .getByText(`guest ${action} ${rule.baselineRef} ${rule.title}`)
        .first()
        .waitFor();
    }

    await openPortal(
      page,
      '/catalog/default/resource/aks-prod-westeurope/aks-baseline',
    );
    const clusterSection = page
      .getByTestId('aks-baseline-cluster-content')
      .getByTestId('aks-baseline-section-manual');
    assert.deepEqual(
      (await checklistIds(clusterSection)).sort(),
      [...clusterItems].sort(),
    );
  } finally {
    await page.close();
    await other.close();
  }
});

test('passed checks are listed beside the failures on a toggle', async () => {
  const page = await newPage(browser);
  try {
    await openPortal(
      page,
      '/catalog/default/component/payments-worker/aks-baseline',
    );
    await page
      .getByTestId('aks-baseline-findings-count')
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('aks-baseline-passed').count(), 0);
    await page
      .getByLabel(/passed checks/i)
      .first()
      .check();
    const passed = page.getByTestId('aks-baseline-passed');
    await passed.waitFor({ timeout: 30_000 });
    // Listed, not loading and not empty.
    await passed.locator('table, [role="list"], ul').first().waitFor({
      timeout: 30_000,
    });
    assert.doesNotMatch(await passed.innerText(), /No check passed/);
    await passed.scrollIntoViewIfNeeded();
    await screenshot(page, 'passed-checks');
  } finally {
    await page.close();
  }
});

test('the Kubernetes tab shows the objects on the clusters the AKS Baseline tab scores', async () => {
  const expected = await backendGet(
    '/api/aks-baseline/entities/default/component/checkout-api/score',
  );
  const clusters = [...new Set(expected.clusters.map(c => c.cluster ?? c))];
  assert.ok(clusters.length > 0, 'checkout-api runs on a cluster');
  const page = await newPage(browser);
  try {
    await openPortal(
      page,
      '/catalog/default/component/checkout-api/kubernetes',
    );
    await page.getByText('Your Clusters').waitFor({ timeout: 60_000 });
    const main = page.locator('main');
    for (const cluster of clusters) {
      await main
        .getByText(new RegExp(`^${cluster}\\b`))
        .first()
        .waitFor();
    }
    assert.doesNotMatch(
      await main.innerText(),
      /No resources on any known clusters/,
    );
    // A cluster's objects include the service's Deployment.
    await main
      .getByText(new RegExp(`^${clusters[0]}\\b`))
      .first()
      .click();
    await main.getByText('checkout-api').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'kubernetes-tab');
  } finally {
    await page.close();
  }
});

test('an entity without the Kubernetes annotations shows the missing-annotation empty state on its card and tab', async () => {
  const page = await newPage(browser);
  try {
    // gift-cards: the demo's service without Kubernetes annotations.
    await openPortal(page, '/catalog/default/component/gift-cards');
    const card = page.getByTestId('aks-baseline-card');
    const missing = card.getByTestId('aks-baseline-missing-annotation');
    await missing.waitFor({ timeout: 60_000 });
    assert.match(await missing.innerText(), /backstage\.io\/kubernetes-id/);
    await missing.scrollIntoViewIfNeeded();
    await screenshot(page, 'missing-annotation-card');
    await entityTab(page, 'AKS Baseline').click();
    await page
      .locator('main')
      .getByTestId('aks-baseline-missing-annotation')
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'missing-annotation-tab');
  } finally {
    await page.close();
  }
});
