// Journeys of issue #17 the other browser tests leave out: the AKS Baseline
// backend down for the page (the card and the tab say so and recover on
// Retry), and the platform engineer who runs an evaluation from the
// overview and watches the clusters being evaluated and the new runs
// listed, without reloading the page.
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
import { backendGet, waitForEvaluatedClusters } from '../lib/api.mjs';

const CLUSTERS = ['aks-prod-westeurope', 'aks-dev-koreacentral'];
/** Every call the plugin's frontend makes to its backend. */
const PLUGIN_API = '**/api/aks-baseline/**';
const UNREACHABLE = 'The portal cannot reach the AKS Baseline service';

let browser;
before(async () => {
  browser = await launchBrowser();
  // The first scheduled evaluation runs shortly after the backend starts.
  await waitForEvaluatedClusters(CLUSTERS);
});
after(async () => {
  await browser?.close();
});

/** Makes the plugin's backend unreachable for this page: no answer at all. */
async function cutBackend(page) {
  await page.route(PLUGIN_API, route => route.abort('connectionrefused'));
}

/**
 * The "cannot reach" message in `scope`, saying what cannot be shown, with
 * a Retry button; not the raw fetch error.
 */
async function assertUnreachableShown(scope, what) {
  const error = scope.getByTestId('aks-baseline-service-error');
  await error.waitFor({ timeout: 60_000 });
  const text = await error.innerText();
  assert.match(text, new RegExp(UNREACHABLE));
  assert.match(text, new RegExp(`so ${what} cannot be shown`));
  assert.doesNotMatch(text, /Failed to fetch/);
  const retry = error.getByRole('button', { name: 'Retry', exact: true });
  await retry.waitFor();
  return retry;
}

test('backend down: the card and the tab say the service cannot be reached, and Retry shows the score', async () => {
  const entityPath = '/catalog/default/component/checkout-api';
  const expected = await backendGet(
    '/api/aks-baseline/entities/default/component/checkout-api/score',
  );
  for (const [viewport, suffix] of [
    [DESKTOP, ''],
    [PHONE, '-phone'],
  ]) {
    const page = await newPage(browser, viewport);
    try {
      await cutBackend(page);
      await openPortal(page, entityPath);
      const card = page.getByTestId('aks-baseline-card');
      await card.waitFor({ timeout: 60_000 });
      const retry = await assertUnreachableShown(card, 'the score');
      assert.equal(await card.getByTestId('aks-baseline-score').count(), 0);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `backend-down-card${suffix}`);

      // The backend is back: Retry loads the score, no page reload.
      await page.unroute(PLUGIN_API);
      await retry.click();
      const score = card.getByTestId('aks-baseline-score');
      await score.waitFor({ timeout: 60_000 });
      assert.equal((await score.innerText()).trim(), String(expected.score));
      assert.equal(
        await card.getByTestId('aks-baseline-service-error').count(),
        0,
      );

      // Down again while the tab opens: the tab says so, Retry recovers.
      await cutBackend(page);
      await page
        .locator('main')
        .getByRole('link', { name: 'AKS Baseline', exact: true })
        .click();
      await page.waitForURL(/\/component\/checkout-api\/aks-baseline/);
      const tabRetry = await assertUnreachableShown(
        page.locator('main'),
        'the findings',
      );
      await screenshot(page, `backend-down-tab${suffix}`);
      await page.unroute(PLUGIN_API);
      await tabRetry.click();
      const content = page.getByTestId('aks-baseline-content');
      await content.waitFor({ timeout: 60_000 });
      assert.equal(
        (await content.getByTestId('aks-baseline-score').innerText()).trim(),
        String(expected.score),
      );
      assert.equal(
        await page.getByTestId('aks-baseline-service-error').count(),
        0,
      );
    } finally {
      await page.close();
    }
  }
});

/** The runs "Recent evaluations" lists: cluster, status and start of each row. */
async function listedRuns(evaluations) {
  return evaluations.locator('tbody tr').evaluateAll(rows =>
    rows
      .map(row => ({
        cells: [...row.querySelectorAll('td')].map(td => td.innerText.trim()),
        startedAt: row.querySelector('time')?.getAttribute('datetime'),
      }))
      .filter(row => row.startedAt)
      .map(row => ({
        cluster: row.cells[0],
        status: row.cells[1],
        trigger: row.cells[2],
        startedAt: row.startedAt,
      })),
  );
}

/** Polls `check` until it returns something truthy. */
async function eventually(check, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

test('platform engineer: "Run evaluation" shows each cluster being evaluated and lists the new runs', async () => {
  await runEvaluation(DESKTOP, '');
  // On a phone too: the button, the tiles and the runs list are reachable.
  await runEvaluation(PHONE, '-phone');
});

/** Runs an evaluation from the overview at `viewport` and follows it to its end. */
async function runEvaluation(viewport, suffix) {
  const runsBefore = await backendGet('/api/aks-baseline/evaluations?limit=20');
  assert.ok(runsBefore.items.length > 0, 'the scheduled run is listed');
  assert.ok(
    runsBefore.items.every(r => r.status !== 'running'),
    'no evaluation is running before the click',
  );
  const newestBefore = runsBefore.items[0].startedAt;
  const clustersBefore = (await backendGet('/api/aks-baseline/clusters')).items;

  const page = await newPage(browser, viewport);
  try {
    await openPortal(page, '/aks-baseline');
    const evaluations = page.getByTestId('aks-baseline-evaluations');
    await evaluations.locator('tbody time').first().waitFor({
      timeout: 60_000,
    });
    // The table lists the backend's runs, newest first.
    assert.deepEqual(
      (await listedRuns(evaluations)).map(r => r.startedAt),
      runsBefore.items.map(r => r.startedAt),
    );
    for (const cluster of CLUSTERS) {
      await page.getByTestId(`aks-baseline-cluster-${cluster}`).waitFor();
    }

    // Which tiles say "Being evaluated" at any moment, however short the
    // run: recorded in the page as the DOM changes.
    await page.evaluate(clusters => {
      window.beingEvaluated = new Set();
      const record = () => {
        for (const cluster of clusters) {
          const tile = document.querySelector(
            `[data-testid="aks-baseline-cluster-${cluster}"]`,
          );
          if (
            tile?.querySelector('[data-testid="aks-baseline-being-evaluated"]')
          )
            window.beingEvaluated.add(cluster);
        }
      };
      new MutationObserver(record).observe(document.body, {
        childList: true,
        subtree: true,
      });
    }, CLUSTERS);
    // The demo's runs take about a second: the runs list answers 3 s late
    // (a slow network), so the screenshot can catch the tiles mid-run.
    await page.route('**/api/aks-baseline/evaluations?*', async route => {
      if (route.request().method() === 'GET') {
        await new Promise(r => setTimeout(r, 3000));
      }
      await route.continue();
    });
    await page.getByTestId('aks-baseline-run-evaluation').click();
    await page
      .getByText(/^Evaluation started for 2 clusters: /)
      .waitFor({ timeout: 30_000 });
    await page.getByTestId('aks-baseline-being-evaluated').first().waitFor();
    await screenshot(page, `run-evaluation-running${suffix}`);

    // "Recent evaluations" lists a new finished manual run of each cluster.
    const newRuns = await eventually(async () => {
      const runs = (await listedRuns(evaluations)).filter(
        r => r.startedAt > newestBefore,
      );
      const done = CLUSTERS.every(cluster =>
        runs.some(
          r =>
            r.cluster === cluster &&
            r.status === 'success' &&
            r.trigger === 'manual',
        ),
      );
      return done && runs;
    }, 'the new runs in "Recent evaluations"');
    assert.ok(
      newRuns.every(r => r.status !== 'running'),
      `a listed run still running: ${JSON.stringify(newRuns)}`,
    );
    // They are the backend's runs.
    const runsAfter = await backendGet(
      '/api/aks-baseline/evaluations?limit=20',
    );
    assert.deepEqual(
      (await listedRuns(evaluations)).map(r => r.startedAt),
      runsAfter.items.map(r => r.startedAt),
    );

    // Each tile said it was being evaluated, and no longer says so.
    assert.deepEqual(
      (await page.evaluate(() => [...window.beingEvaluated])).sort(),
      [...CLUSTERS].sort(),
    );
    await page
      .getByTestId('aks-baseline-being-evaluated')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
    // And shows the new evaluation's time, as the backend has it.
    const clustersAfter = (await backendGet('/api/aks-baseline/clusters'))
      .items;
    for (const cluster of CLUSTERS) {
      const was = clustersBefore.find(c => c.name === cluster).evaluatedAt;
      const now = clustersAfter.find(c => c.name === cluster).evaluatedAt;
      assert.ok(now > was, `${cluster} evaluated again (${was} → ${now})`);
      await page
        .getByTestId(`aks-baseline-cluster-${cluster}`)
        .locator(`time[datetime="${now}"]`)
        .waitFor({ timeout: 30_000 });
    }
    // A reload would have dropped what the page recorded.
    assert.equal(
      await page.evaluate(() => window.beingEvaluated instanceof Set),
      true,
      'the page was not reloaded',
    );
    await evaluations.scrollIntoViewIfNeeded();
    await screenshot(page, `run-evaluation-finished${suffix}`);
  } finally {
    await page.close();
  }
}
