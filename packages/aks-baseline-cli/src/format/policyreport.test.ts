/*
 * --format policyreport: valid wgpolicyk8s.io/v1alpha2 objects (checked
 * against the CRD's schema, with nothing the API server would prune), one
 * result per finding and never a pass for anything not judged, decoded by
 * kubectl exactly as written.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { FINDING_STATUSES } from '@aks-baseline/plugin-aks-baseline-common';
import { FIXTURES, NOW, runCli } from '../testing';
import { ReportFinding } from '../report';
import { policyResultOf, reportNamespaceOf } from './policyreport';

const ROOT = path.resolve(__dirname, '../../../..');
const DEV = path.join(ROOT, 'examples/clusters/aks-dev-koreacentral');
const KUBECTL = '/usr/bin/kubectl';

/** The API server prunes fields a structural schema does not name: fail on them instead. */
function closed(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) out[k] = closed(v);
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const crdSchema = parse(
  fs.readFileSync(
    path.join(FIXTURES, 'policyreport/crd-v1alpha2-schema.yaml'),
    'utf8',
  ),
);
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(closed(crdSchema));

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function documentsOf(text: string): any[] {
  const docs = parseAllDocuments(text, { version: '1.1' });
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map(d => d.toJS());
}

function expectValid(docs: any[]) {
  for (const doc of docs) {
    const ok = validate(doc);
    expect({ doc: doc.metadata, errors: ok ? [] : validate.errors }).toEqual({
      doc: doc.metadata,
      errors: [],
    });
    expect(doc.apiVersion).toBe('wgpolicyk8s.io/v1alpha2');
    expect(['PolicyReport', 'ClusterPolicyReport']).toContain(doc.kind);
    expect(doc.metadata.name).toMatch(DNS_SUBDOMAIN);
    if (doc.kind === 'ClusterPolicyReport') {
      expect(doc.metadata.namespace).toBeUndefined();
    }
  }
}

/** kubectl (client only, offline) reads the documents as they were meant. */
function expectKubectlDecodes(text: string, docs: any[]) {
  if (!fs.existsSync(KUBECTL)) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-polr-'));
  try {
    const file = path.join(tmp, 'reports.yaml');
    fs.writeFileSync(file, text);
    const out = execFileSync(
      KUBECTL,
      ['label', '--local', '-f', file, 'x=y', '-o', 'json'],
      { encoding: 'utf8' },
    );
    // One JSON object per document, one after another.
    const decoded = JSON.parse(`[${out.replace(/\n}\n{/g, '\n},\n{')}]`);
    for (const d of decoded) delete d.metadata.labels.x;
    expect(decoded).toEqual(docs);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function scan(args: string[]) {
  const run = await runCli(['scan', ...args, '--now', NOW]);
  const json = await runCli([
    'scan',
    ...args,
    '--now',
    NOW,
    '--format',
    'json',
  ]);
  expect(run.code).toBe(json.code);
  return {
    run,
    docs: documentsOf(run.stdout),
    json: JSON.parse(json.stdout),
  };
}

/** `kind namespace/name ruleId` of each result, as of each finding. */
function keysOfResults(docs: any[]): string[] {
  return docs
    .flatMap(d => d.results)
    .filter(r => r.policy !== 'input-not-judged')
    .map(r => {
      const ref = r.resources[0];
      return `${ref.kind} ${ref.namespace ?? ''}/${ref.name} ${r.policy}`;
    })
    .sort();
}

function keysOfFindings(findings: ReportFinding[]): string[] {
  return findings
    .map(
      f =>
        `${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name} ${
          f.ruleId
        }`,
    )
    .sort();
}

function totals(docs: any[]) {
  const sum = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const d of docs) {
    for (const k of Object.keys(sum) as Array<keyof typeof sum>) {
      sum[k] += d.summary[k];
    }
  }
  return sum;
}

describe('policyResultOf', () => {
  it('gives no pass to any finding status, and error to what could not be decided', () => {
    const results = FINDING_STATUSES.map(status =>
      policyResultOf({ status } as ReportFinding),
    );
    expect(results).not.toContain('pass');
    expect(
      Object.fromEntries(FINDING_STATUSES.map((s, i) => [s, results[i]])),
    ).toEqual({
      fail: 'fail',
      waived: 'skip',
      unknown: 'error',
      'not-applicable': 'skip',
      manual: 'skip',
    });
    expect(policyResultOf({ status: 'something-new' } as any)).toBe('error');
  });

  it('places namespaced objects in their namespace and the rest in the cluster report', () => {
    expect(reportNamespaceOf({ kind: 'Deployment', namespace: 'shop' })).toBe(
      'shop',
    );
    expect(reportNamespaceOf({ kind: 'Deployment' })).toBe('');
    expect(reportNamespaceOf({ kind: 'Namespace' })).toBeNull();
    expect(reportNamespaceOf({ kind: 'ManagedCluster' })).toBeNull();
    expect(reportNamespaceOf({ kind: 'AgentPool' })).toBeNull();
  });
});

describe('--format policyreport', () => {
  it('writes manifests findings as valid reports, one result per finding', async () => {
    const { run, docs, json } = await scan([
      'noncompliant.yaml',
      '--format',
      'policyreport',
    ]);
    expect(run.code).toBe(0);
    expectValid(docs);
    expect(docs.map(d => [d.kind, d.metadata.namespace])).toEqual([
      ['ClusterPolicyReport', undefined],
      ['PolicyReport', 'legacy'],
    ]);
    expect(docs[0].metadata.annotations).toMatchObject({
      'aks-baseline.io/score': `${json.score.score}/100 (${json.score.grade})`,
      'aks-baseline.io/judged': expect.stringMatching(
        /^\d+ objects? evaluated in 1 file; 0 skipped; 0 ignored/,
      ),
    });
    expect(keysOfResults(docs)).toEqual(keysOfFindings(json.findings));
    // Passes counted from the checks, the rest from the findings.
    const sum = totals(docs);
    expect(sum.pass).toBe(json.score.totals.passed);
    expect(sum.fail).toBe(json.counts.fail);
    expect(sum.fail).toBeGreaterThan(0);
    const legacy = docs[1];
    const failing = legacy.results.find(
      (r: any) => r.policy === 'container-not-privileged',
    );
    expect(failing).toMatchObject({
      source: 'aks-baseline',
      rule: 'PS-07',
      severity: 'critical',
      result: 'fail',
      scored: true,
      resources: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'legacy',
          name: 'legacy-web',
        },
      ],
      properties: { baselineRef: 'PS-07', status: 'fail' },
    });
    expect(failing.properties.location).toMatch(/^noncompliant\.yaml:\d+$/);
    expect(failing.timestamp).toEqual({
      seconds: Date.parse(NOW) / 1000,
      nanos: 0,
    });
  });

  it('writes a cluster dump: the cluster and its pools in the cluster report, undecided checks as errors', async () => {
    const { docs, json } = await scan([DEV, '--format', 'policyreport']);
    expectValid(docs);
    const cluster = docs.filter(d => d.kind === 'ClusterPolicyReport');
    expect(cluster).toHaveLength(1);
    const clusterKinds = new Set(
      cluster[0].results.map((r: any) => r.resources[0].kind),
    );
    expect(clusterKinds.has('ManagedCluster')).toBe(true);
    for (const d of docs.filter(x => x.kind === 'PolicyReport')) {
      for (const r of d.results) {
        expect(r.resources[0].namespace).toBe(d.metadata.namespace);
      }
    }
    expect(keysOfResults(docs)).toEqual(keysOfFindings(json.findings));
    const byStatus = new Map<string, string>();
    for (const r of docs.flatMap(d => d.results)) {
      byStatus.set(r.properties.status, r.result);
    }
    expect(byStatus.get('fail')).toBe('fail');
    expect(byStatus.get('not-applicable')).toBe('skip');
    expect([...byStatus.values()]).not.toContain('pass');
    const sum = totals(docs);
    expect(sum.pass).toBe(json.score.totals.passed);
    expect(sum.error).toBe(json.counts.unknown);
  });

  it('reports waived failures as skip and inputs read but not judged as errors', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-polr-'));
    try {
      fs.writeFileSync(
        path.join(tmp, 'app.yaml'),
        `apiVersion: v1
kind: Pod
metadata:
  name: "no"
  annotations:
    aks-baseline.io/waive.container-not-privileged: "on; expires=2099-01-01"
spec:
  containers:
    - name: c
      image: contoso.azurecr.io/web:1.0
      securityContext:
        privileged: true
---
apiVersion: networking.x-k8s.io/v1alpha1
kind: Gateway
metadata:
  name: edge
  namespace: apps
spec:
  gatewayClassName: azure
`,
      );
      const run = await runCli(
        ['scan', 'app.yaml', '--format', 'policyreport', '--now', NOW],
        { cwd: tmp },
      );
      const docs = documentsOf(run.stdout);
      expectValid(docs);
      // `no` and `on` are booleans to kubectl's YAML 1.1 unless quoted.
      expectKubectlDecodes(run.stdout, docs);
      // The Pod names no namespace: the engine reads it in `default`, as kubectl does.
      const current = docs.find(d => d.metadata.namespace === 'default');
      expect(current).toBeDefined();
      const results = current.results.filter(
        (r: any) => r.policy === 'container-not-privileged',
      );
      expect(results).toHaveLength(1);
      expect(results[0].result).toBe('skip');
      expect(results[0].properties).toMatchObject({
        status: 'waived',
        waiver: 'on',
      });
      expect(results[0].resources[0].name).toBe('no');
      const notJudged = docs
        .flatMap(d => d.results)
        .filter((r: any) => r.policy === 'input-not-judged');
      expect(notJudged).toHaveLength(1);
      expect(notJudged[0]).toMatchObject({
        result: 'error',
        resources: [{ kind: 'Gateway', namespace: 'apps', name: 'edge' }],
        properties: { status: 'skipped', location: 'app.yaml:14' },
      });
      expect(
        docs.find(d => d.metadata.namespace === 'apps')?.summary.error,
      ).toBe(1);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('is decoded by kubectl exactly as written', async () => {
    const { run, docs } = await scan([DEV, '--format', 'policyreport']);
    expect(docs.length).toBeGreaterThan(1);
    expectKubectlDecodes(run.stdout, docs);
  });
});
