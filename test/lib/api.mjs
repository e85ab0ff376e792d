// Calls the portal's backend as the demo's guest user, to compare what the
// pages show with what the backend computed.
import { BASE_URL } from './browser.mjs';

let token;

/** A fresh guest sign-in: the `backstageIdentity` the frontend gets (token and identity). */
export async function guestSignIn() {
  const res = await fetch(`${BASE_URL}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity;
}

async function guestToken() {
  token ??= (await guestSignIn()).token;
  return token;
}

export async function backendGet(path) {
  const res = await fetch(`${BASE_URL}${path}`, {
    headers: { Authorization: `Bearer ${await guestToken()}` },
  });
  if (!res.ok) throw new Error(`GET ${path} failed: ${res.status}`);
  return res.json();
}

export async function backendPost(path, body) {
  const res = await fetch(`${BASE_URL}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${await guestToken()}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} failed: ${res.status}`);
  return res.json();
}

/** Waits until the backend has evaluated every configured cluster once. */
export async function waitForEvaluatedClusters(expected, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { items } = await backendGet('/api/aks-baseline/clusters');
    const evaluated = items.filter(c => c.evaluatedAt).map(c => c.name);
    if (expected.every(name => evaluated.includes(name))) return items;
    if (Date.now() > deadline) {
      throw new Error(
        `clusters not evaluated in time: have ${
          evaluated.join(', ') || 'none'
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** The statuses the findings tables list (manual ones are in the checklist). */
export const TABLE_STATUSES = 'fail,waived,unknown,not-applicable';

/** Every finding of a paged findings route, as the tab lists them. */
export async function allFindings(path) {
  const items = [];
  let cursor;
  do {
    const page = await backendGet(
      `${path}?status=${TABLE_STATUSES}&limit=500${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
