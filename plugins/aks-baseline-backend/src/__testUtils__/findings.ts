/*
 * Every finding of a paged findings route, page after page (the tests of
 * the routes that show findings read them this way).
 */
import type { Server } from 'http';
import request from 'supertest';
import {
  Finding,
  FindingsPage,
} from '@aks-baseline/plugin-aks-baseline-common';

export async function allFindings(
  server: Server,
  path: string,
  options: { header?: string; pages?: FindingsPage[] } = {},
): Promise<Finding[]> {
  const items: Finding[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const url = cursor
      ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(
          cursor,
        )}`
      : path;
    const call = request(server).get(url);
    if (options.header) call.set('Authorization', options.header);
    const res = await call;
    if (res.status !== 200) {
      throw new Error(`${url} answered ${res.status}: ${res.text}`);
    }
    const page: FindingsPage = res.body;
    options.pages?.push(page);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`${path} did not end after 10,000 pages`);
}
