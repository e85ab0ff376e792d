// Runs axe-core on part of a page and fails on serious or critical
// violations, naming each rule, why and where.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Checks the elements matching `selector` (this plugin's part of the
 * page): no serious or critical axe violation.
 */
export async function assertNoSeriousA11yViolations(page, selector) {
  await page.locator(selector).first().waitFor();
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  const blocking = results.violations.filter(v => BLOCKING.has(v.impact));
  const described = blocking.map(
    v =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map(n => `  ${n.target.join(' ')}: ${n.failureSummary}`)
        .join('\n')}`,
  );
  assert.deepEqual(described, [], `axe found in ${selector}`);
}
