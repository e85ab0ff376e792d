/*
 * Upgrade readiness in the CLI: the cluster page's answer from the same
 * findings, given only when the managed cluster was read.
 */
import * as path from 'path';
import { UPGRADE_BLOCKING_RULES } from '@aks-baseline/plugin-aks-baseline-node';
import { NOW, runCli } from './testing';

const ROOT = path.resolve(__dirname, '../../..');

async function scan(input: string, format: string) {
  const run = await runCli(['scan', input, '--format', format, '--now', NOW], {
    cwd: ROOT,
  });
  if (run.code === 2) throw new Error(run.stderr);
  return run.stdout;
}

describe('upgrade readiness in the CLI', () => {
  it.each(['aks-prod-westeurope', 'aks-dev-koreacentral'])(
    'answers for the snapshot of %s from its blocking rules',
    async name => {
      const report = JSON.parse(
        await scan(`examples/clusters/${name}`, 'json'),
      );
      const readiness = report.upgradeReadiness;
      expect(readiness.cluster).toBe(name);
      const blocking = (report.findings as any[]).filter(f =>
        UPGRADE_BLOCKING_RULES.includes(f.ruleId),
      );
      const failed = blocking.filter(
        f => f.status === 'fail' || f.status === 'waived',
      );
      expect(readiness.blockers.map((b: any) => b.ruleId)).toEqual(
        failed.map(f => f.ruleId),
      );
      let expected = 'no-blocker-found';
      if (failed.length > 0) expected = 'blocked';
      else if (blocking.some(f => f.status === 'unknown')) expected = 'unknown';
      expect(readiness.status).toBe(expected);

      const table = await scan(`examples/clusters/${name}`, 'table');
      expect(table).toContain(`Upgrade readiness of ${name}: `);
      for (const b of readiness.blockers) {
        expect(table).toContain(`blocker: ${b.baselineRef} ${b.ruleId} on`);
      }
      const markdown = await scan(`examples/clusters/${name}`, 'markdown');
      expect(markdown).toContain(`### Upgrade readiness of ${name}: `);
    },
  );

  it('the demo clusters: dev blocked by its node pool behind the control plane, production not', async () => {
    const dev = JSON.parse(
      await scan('examples/clusters/aks-dev-koreacentral', 'json'),
    );
    expect(dev.upgradeReadiness.status).toBe('blocked');
    expect(dev.upgradeReadiness.blockers).toEqual([
      expect.objectContaining({
        ruleId: 'node-pool-version-matches-control-plane',
        resource: 'AgentPool apppool',
      }),
    ]);
    const prod = JSON.parse(
      await scan('examples/clusters/aks-prod-westeurope', 'json'),
    );
    expect(prod.upgradeReadiness.status).toBe('no-blocker-found');
    expect(prod.upgradeReadiness.advisories.length).toBeGreaterThan(0);
  });

  it('says nothing without the managed cluster: the blocking rules did not run', async () => {
    const report = JSON.parse(
      await scan(
        'packages/aks-baseline-cli/src/__fixtures__/compliant-app/storefront.yaml',
        'json',
      ),
    );
    expect(report.upgradeReadiness).toBeUndefined();
    const table = await scan(
      'packages/aks-baseline-cli/src/__fixtures__/compliant-app/storefront.yaml',
      'table',
    );
    expect(table).not.toContain('Upgrade readiness');
  });
});
