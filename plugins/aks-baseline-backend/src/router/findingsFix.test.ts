/*
 * Each failing finding served with its fix: the patch for the exact object
 * and container with its YAML, the object to add, or the az command with
 * the cluster's real names; stored with the finding's row, on SQLite and
 * PostgreSQL. Findings marked with what Safeguards do keep their words and
 * fix, and their entity.
 */
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import {
  PROD,
  startAksBaselineTestBackend,
  waitForEvaluationOfAll,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const API = '/api/aks-baseline';
const ENTITY_FINDINGS = `${API}/entities/default/component/checkout-api/findings`;

/** Every finding of a paged route. */
async function allFindings(server: any, route: string): Promise<Finding[]> {
  const out: Finding[] = [];
  let cursor: string | undefined;
  do {
    const res = await request(server).get(
      `${route}?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

function finding(list: Finding[], ruleId: string, name: string): Finding {
  const found = list.filter(
    f => f.ruleId === ruleId && f.resource.name === name,
  );
  expect(found).toHaveLength(1);
  return found[0];
}

/** checkout-api's container may now escalate privileges. */
function letCheckoutEscalate(dir: string) {
  const file = path.join(dir, 'workloads.json');
  const list = JSON.parse(fs.readFileSync(file, 'utf8'));
  const deployment = list.items.find(
    (o: any) => o.kind === 'Deployment' && o.metadata.name === 'checkout-api',
  );
  deployment.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation =
    true;
  fs.writeFileSync(file, JSON.stringify(list));
}

/** A Deployment Safeguards list as ARM serves it. */
function safeguards(level: string, pss: string) {
  return {
    value: [
      {
        id: `/subscriptions/6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21/resourcegroups/rg-online-store-prod-weu/providers/Microsoft.ContainerService/managedClusters/${PROD}/providers/Microsoft.ContainerService/deploymentSafeguards/default`,
        name: 'default',
        type: 'Microsoft.ContainerService/deploymentSafeguards',
        properties: {
          level,
          podSecurityStandardsLevel: pss,
          excludedNamespaces: [],
          systemExcludedNamespaces: ['kube-system'],
          provisioningState: 'Succeeded',
        },
      },
    ],
  };
}

describe('findings served with their fix', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15'],
  });
  const allow = async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW }));

  it.each(databases.eachSupportedId())(
    'serves the patch, the object to add and the az command (%p)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const ctx = await startAksBaselineTestBackend({
        knex,
        permissions: mockServices.permissions.mock({
          authorize: allow as any,
          authorizeConditional: allow as any,
        }).factory,
      });
      try {
        letCheckoutEscalate(ctx.clusterDir(PROD));
        expect(
          (await request(ctx.server).post(`${API}/evaluations`).send({}))
            .status,
        ).toBe(202);
        await waitForEvaluationOfAll(ctx);

        const entity = await allFindings(ctx.server, ENTITY_FINDINGS);
        expect(
          finding(entity, 'container-no-privilege-escalation', 'checkout-api')
            .fix,
        ).toEqual({
          kind: 'patch',
          format: 'json-patch',
          target: {
            kind: 'Deployment',
            name: 'checkout-api',
            namespace: 'payments',
            apiVersion: 'apps/v1',
          },
          operations: [
            {
              op: 'add',
              path: '/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation',
              value: false,
            },
          ],
          summary:
            'Set allowPrivilegeEscalation: false on each offending container',
          yaml: [
            'spec:',
            '  template:',
            '    spec:',
            '      containers:',
            '        - name: checkout-api',
            '          securityContext:',
            '            allowPrivilegeEscalation: false',
            '',
          ].join('\n'),
        });
        const pdb = finding(
          entity,
          'workload-pod-disruption-budget',
          'checkout-api',
        ).fix;
        expect(pdb).toMatchObject({
          kind: 'create',
          object: {
            kind: 'PodDisruptionBudget',
            metadata: { name: 'checkout-api-pdb', namespace: 'payments' },
            spec: {
              maxUnavailable: 1,
              selector: {
                matchLabels: { 'app.kubernetes.io/name': 'checkout-api' },
              },
            },
          },
          besides: { kind: 'Deployment', name: 'checkout-api' },
        });
        expect(pdb && 'yaml' in pdb && pdb.yaml).toContain(
          'kind: PodDisruptionBudget\nmetadata:\n  name: checkout-api-pdb\n',
        );

        const cluster = await allFindings(
          ctx.server,
          `${API}/clusters/${PROD}/findings`,
        );
        expect(
          finding(cluster, 'node-pool-trusted-launch', 'apppool').fix,
        ).toEqual({
          kind: 'command',
          command:
            'az aks nodepool update --subscription 6c1f3a9e-2b7d-4e15-9a4c-8d0e5f7b3a21 --resource-group rg-online-store-prod-weu --cluster-name aks-prod-westeurope --name apppool --enable-secure-boot --enable-vtpm',
          summary: 'Enable Trusted Launch on node pool apppool',
        });
        // Only failures (and waived ones) have a fix.
        expect(
          cluster.filter(
            f => f.fix && f.status !== 'fail' && f.status !== 'waived',
          ),
        ).toEqual([]);

        // Marked with what Safeguards do: still its words, fix and entity.
        fs.writeFileSync(
          path.join(ctx.clusterDir(PROD), 'deploymentsafeguards.json'),
          JSON.stringify(safeguards('Enforce', 'Restricted')),
        );
        expect(
          (await request(ctx.server).post(`${API}/evaluations`).send({}))
            .status,
        ).toBe(202);
        await waitForEvaluationOfAll(ctx, 2);
        const marked = finding(
          await allFindings(ctx.server, ENTITY_FINDINGS),
          'container-no-privilege-escalation',
          'checkout-api',
        );
        expect(marked.admission).toBeDefined();
        expect(marked.message).toContain('allowPrivilegeEscalation');
        expect(marked.evidence?.length).toBeGreaterThan(0);
        expect(marked.fix).toMatchObject({
          kind: 'patch',
          summary:
            'Set allowPrivilegeEscalation: false on each offending container',
        });
      } finally {
        await ctx.cleanup();
      }
    },
  );
});
