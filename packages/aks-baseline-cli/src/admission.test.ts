/*
 * scan --cluster <snapshot folder>: what that cluster's admission would do
 * with the manifests (fixtures in __fixtures__/admission: the demo's
 * production cluster with Safeguards Enforce / Baseline, namespace payments
 * enforcing restricted, batch-tools excluded from Safeguards).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, NOW, runCli } from './testing';

const MANIFESTS = 'admission/manifests.yaml';
const CLUSTER = 'admission/cluster';

async function scanJson(cluster: string) {
  const run = await runCli([
    'scan',
    MANIFESTS,
    '--cluster',
    cluster,
    '--format',
    'json',
    '--now',
    NOW,
  ]);
  if (run.code === 2) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** The fixture cluster with another deploymentsafeguards.json (or none). */
function clusterWith(safeguards: object | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-admission-'));
  for (const file of ['cluster.json', 'namespaces.json']) {
    fs.copyFileSync(path.join(FIXTURES, CLUSTER, file), path.join(dir, file));
  }
  if (safeguards) {
    fs.writeFileSync(
      path.join(dir, 'deploymentsafeguards.json'),
      JSON.stringify({
        value: [{ name: 'default', properties: safeguards }],
      }),
    );
  }
  return dir;
}

const objects = (list: any[]) =>
  list.map(
    o => `${o.resource.kind} ${o.resource.namespace}/${o.resource.name}`,
  );

describe('scan --cluster', () => {
  it('says which objects Enforce would deny and which it would mutate, and why', async () => {
    const report = await scanJson(CLUSTER);
    const { admission } = report;
    expect(admission).toMatchObject({
      cluster: 'aks-prod-westeurope',
      safeguards: {
        level: 'Enforce',
        podSecurityStandardsLevel: 'Baseline',
        excludedNamespaces: expect.arrayContaining(['batch-tools']),
      },
      unknownNamespaces: ['catalog'],
    });
    expect(objects(admission.denied)).toEqual([
      'Deployment payments/payments-api',
      'Pod ops-debug/debug',
    ]);
    expect(objects(admission.mutated)).toEqual([
      'Deployment catalog/catalog-web',
    ]);
    expect(admission.warned).toEqual([]);
    expect(admission.mutated[0]).toMatchObject({
      location: { file: MANIFESTS, line: 60 },
      changes: ['CPU and memory requests filled in', 'pod anti-affinity added'],
    });
    // payments enforces restricted: the Deployment's pods are refused.
    expect(admission.denied[0].reasons).toContain(
      'admitted, its pods refused at admission by Pod Security Admission (namespace payments enforces restricted)',
    );
    // Safeguards' Baseline level refuses the privileged Pod.
    expect(admission.denied[1].reasons).toContain(
      'enforced at admission by Safeguards (Pod Security Standards Baseline)',
    );
    // The excluded namespace's Job is left alone, though it fails rules.
    const job = report.findings.filter(
      (f: any) => f.resource.name === 'reindex' && f.status === 'fail',
    );
    expect(job.length).toBeGreaterThan(0);
    expect(job.every((f: any) => f.admission === undefined)).toBe(true);
    // Each finding admission acts on carries it.
    const privileged = report.findings.find(
      (f: any) =>
        f.ruleId === 'container-not-privileged' && f.resource.name === 'debug',
    );
    expect(privileged.admission).toEqual({
      by: 'Pod Security Standards',
      policy: 'Baseline',
      effect: 'deny',
      note: 'enforced at admission by Safeguards (Pod Security Standards Baseline)',
    });
  });

  it('only warns under Warn, though namespace Pod Security still refuses', async () => {
    const { admission } = await scanJson(
      clusterWith({ level: 'Warn', podSecurityStandardsLevel: 'Baseline' }),
    );
    expect(objects(admission.denied)).toEqual([
      'Deployment payments/payments-api',
    ]);
    expect(admission.mutated).toEqual([]);
    // No namespace excluded this time: the Job is warned about too.
    expect(objects(admission.warned)).toEqual([
      'Pod ops-debug/debug',
      'Job batch-tools/reindex',
      'Deployment catalog/catalog-web',
    ]);
  });

  it('says Safeguards were not read rather than that nothing is denied', async () => {
    const { admission } = await scanJson(clusterWith(undefined));
    expect(admission.safeguards).toBeNull();
    expect(admission.safeguardsUnread).toBe(
      'the snapshot has no deploymentsafeguards.json',
    );
    expect(objects(admission.denied)).toEqual([
      'Deployment payments/payments-api',
    ]);
  });

  it('prints the forecast in the table and the Markdown', async () => {
    const table = await runCli(
      ['scan', MANIFESTS, '--cluster', CLUSTER, '--now', NOW],
      {},
    );
    expect(table.stdout).toContain(
      'At admission on aks-prod-westeurope (Deployment Safeguards Enforce, Pod Security Standards Baseline): 2 denied, 1 mutated, 0 warned',
    );
    expect(table.stdout).toContain(
      `MUTATE  Deployment catalog/catalog-web (${MANIFESTS}:60): CPU and memory requests filled in, pod anti-affinity added`,
    );
    expect(table.stdout).toContain(
      'namespace catalog is neither in the snapshot nor among the manifests',
    );
    const markdown = await runCli([
      'scan',
      MANIFESTS,
      '--cluster',
      CLUSTER,
      '-f',
      'markdown',
      '--now',
      NOW,
    ]);
    expect(markdown.stdout).toContain(
      '### At admission on aks-prod-westeurope',
    );
    expect(markdown.stdout).toContain(
      `| ✏️ mutate | Deployment catalog/catalog-web | \`${MANIFESTS}:60\` | CPU and memory requests filled in, pod anti-affinity added |`,
    );
  });

  it('refuses a snapshot folder as input, and a folder that is no snapshot', async () => {
    const both = await runCli(['scan', CLUSTER, '--cluster', CLUSTER]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give manifests, not a cluster snapshot');
    const notSnapshot = await runCli([
      'scan',
      MANIFESTS,
      '--cluster',
      'compliant-app',
    ]);
    expect(notSnapshot.code).toBe(2);
    expect(notSnapshot.stderr).toContain('--cluster');
  });

  it('adds nothing to a scan without --cluster', async () => {
    const run = await runCli(['scan', MANIFESTS, '-f', 'json', '--now', NOW]);
    const report = JSON.parse(run.stdout);
    expect(report.admission).toBeUndefined();
    expect(report.findings.some((f: any) => f.admission)).toBe(false);
  });
});
