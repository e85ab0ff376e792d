// The demo's home page: the AKS Baseline widget lists the services of the
// signed-in user's teams, lowest score first, each linked to its page, in
// the order and with the scores the backend's rollup gives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser,
  newPage,
  openPortal,
  screenshot,
} from '../lib/browser.mjs';
import {
  backendGet,
  guestSignIn,
  waitForEvaluatedClusters,
} from '../lib/api.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The group refs a fresh guest sign-in carries (what the frontend's identity API gives). */
async function guestTeams() {
  const { identity } = await guestSignIn();
  return (identity?.ownershipEntityRefs ?? []).filter(ref =>
    ref.startsWith('group:'),
  );
}

/**
 * Waits until a sign-in resolves the guest's team from the catalog: until
 * the catalog has read examples/org.yaml, the guest provider signs in
 * without memberships, and the widget rightly says so.
 */
async function waitForGuestTeams(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const teams = await guestTeams();
    if (teams.length > 0) return teams;
    if (Date.now() > deadline) {
      throw new Error('the guest sign-in never carried a team');
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** What the widget should list: each team's scored entities once, lowest score first. */
async function expectedEntities(teams) {
  const byRef = new Map();
  for (const team of teams) {
    const { entities } = await backendGet(
      `/api/aks-baseline/rollup?owner=${encodeURIComponent(team)}`,
    );
    for (const e of entities) byRef.set(e.entityRef, e);
  }
  return [...byRef.values()].sort(
    (a, b) =>
      (a.score ?? Infinity) - (b.score ?? Infinity) ||
      a.entityRef.localeCompare(b.entityRef),
  );
}

/** `component:default/checkout-api` → `/catalog/default/component/checkout-api`. */
function entityPath(ref) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return `/catalog/${namespace}/${kind.toLowerCase()}/${name}`;
}

test("the home page lists the user's teams' services, lowest score first, linked", async () => {
  await waitForEvaluatedClusters([
    'aks-prod-westeurope',
    'aks-dev-koreacentral',
  ]);
  const teams = await waitForGuestTeams();
  const expected = (await expectedEntities(teams)).slice(0, 10);
  assert.ok(
    expected.length > 0,
    `the guest's teams (${teams}) own scored services`,
  );

  const page = await newPage(browser);
  try {
    await openPortal(page, '/home');
    const list = page.getByRole('list', {
      name: 'Services by score, lowest first',
    });
    await list.waitFor({ timeout: 60_000 });
    const items = list.getByRole('listitem');
    assert.equal(await items.count(), expected.length);
    for (let i = 0; i < expected.length; i++) {
      const item = items.nth(i);
      const href = await item.getByRole('link').first().getAttribute('href');
      assert.equal(href, entityPath(expected[i].entityRef), `row ${i + 1}`);
      if (expected[i].score !== undefined && expected[i].score !== null) {
        assert.match(
          await item.innerText(),
          new RegExp(`\\b${expected[i].score}\\b`),
          `row ${i + 1} shows ${expected[i].entityRef}'s score`,
        );
      }
    }
    await screenshot(page, 'home-teams-widget');
    // The first link opens the service's page.
    await items.first().getByRole('link').first().click();
    await page.waitForURL(`**${entityPath(expected[0].entityRef)}**`);
  } finally {
    await screenshot(page, 'home-teams-widget-end');
    await page.close();
  }
});
