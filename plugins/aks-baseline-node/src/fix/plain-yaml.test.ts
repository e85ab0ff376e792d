import * as path from 'path';
import { parse } from 'yaml';
import { fixOf } from '../engine/deferred-finding';
import { evaluate } from '../engine/evaluate';
import { readSnapshotDirectory } from '../readers/directory';
import { RULE_CATALOG } from '../rules';
import { kubeFixtureObjects } from '../__fixtures__/kubernetes';
import { makeSnapshot } from '../testUtils';
import { toYaml, yamlPackage } from './fragment';
import { plainYaml } from './plain-yaml';

const EXAMPLES = path.resolve(__dirname, '../../../../examples/clusters');

describe('plainYaml', () => {
  it.each([
    [{ spec: { replicas: 3, paused: false, selector: null } }],
    [
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'api',
                  securityContext: {
                    capabilities: { drop: ['ALL'] },
                    seccompProfile: { type: 'RuntimeDefault' },
                  },
                  ports: [{ containerPort: 8080 }, { containerPort: 9090 }],
                },
              ],
              volumes: [{}, []],
            },
          },
        },
        metadata: {
          labels: {},
          annotations: { 'app.kubernetes.io/name': 'api' },
        },
        items: [],
      },
    ],
    [['a', { b: { c: [1, -2] } }]],
    [
      {
        memory: '<memory, e.g. 256Mi>',
        image: 'contoso.azurecr.io/api@sha256:<digest>',
        summary: 'two words, a comma',
        path: '/healthz',
      },
    ],
  ])('writes what the yaml package writes: %j', value => {
    expect(plainYaml(value)).toBe(yamlPackage(value));
  });

  it.each([
    ['a string that reads as a number', { runAsUser: '1000' }],
    ['a word that reads as a boolean', { enabled: 'yes' }],
    ['a colon and a space', { summary: 'note: this' }],
    ['a space and a hash', { summary: 'a #comment' }],
    ['a trailing colon', { summary: 'this:' }],
    ['a leading digit', { memory: '256Mi' }],
    ['a quote first', { summary: '"quoted"' }],
    ['a line break', { summary: 'a\nb' }],
    ['a fraction', { ratio: 0.5 }],
    ['a list in a list', { matrix: [['a']] }],
    ['a key that needs quotes', { '1': 'one' }],
  ])('leaves %s to the yaml package', (_, value) => {
    expect(plainYaml(value)).toBeUndefined();
    expect(toYaml(value)).toBe(yamlPackage(value));
  });

  it("writes every fix's YAML of the fixtures and the demo clusters as the package does", async () => {
    const snapshots = [
      makeSnapshot({
        objects: kubeFixtureObjects(
          'shopStorefront',
          'shopOrdersDb',
          'shopNightlyReport',
          'shopDbMigrate',
          'legacyWeb',
          'nodeLogAgent',
        ),
      }),
      await readSnapshotDirectory(path.join(EXAMPLES, 'aks-prod-westeurope')),
      await readSnapshotDirectory(path.join(EXAMPLES, 'aks-dev-koreacentral')),
    ];
    let written = 0;
    let compared = 0;
    for (const snapshot of snapshots) {
      const { findings } = evaluate(snapshot, { rules: RULE_CATALOG });
      for (const finding of findings) {
        const fix = fixOf(finding);
        if (!fix || !('yaml' in fix) || !fix.yaml) continue;
        const value = parse(fix.yaml);
        compared++;
        const plain = plainYaml(value);
        if (plain === undefined) continue;
        written++;
        expect(plain).toBe(yamlPackage(value));
      }
    }
    // Most fixes are plain enough to be written directly.
    expect(written).toBeGreaterThan(compared / 2);
  });
});
