import * as path from 'path';
import { readSnapshotDirectory } from './directory';
import { SnapshotReadError } from './errors';
import {
  exampleApiVersion,
  normalizeDeploymentSafeguards,
  normalizeMeshRevisions,
} from './arm-reads';
import { readSnapshot } from './snapshot';
import premium from '../__fixtures__/azure/azure-rest-api-specs/2026-07-01/ManagedClustersCreate_Premium.json';
import meshProfile from '../__fixtures__/azure/azure-rest-api-specs/2025-10-01/ManagedClustersGet_MeshRevisionProfile.json';

describe('ARM reads beyond the managed cluster', () => {
  it("takes a published example's api-version, and none from other documents", () => {
    expect(exampleApiVersion(premium)).toBe('2026-07-01');
    expect(exampleApiVersion(premium.responses['200'].body)).toBeUndefined();
    const text = readSnapshot({
      managedCluster: { file: 'cluster.json', text: JSON.stringify(premium) },
    });
    expect(text.arm).toEqual({ apiVersion: '2026-07-01' });
  });

  it('reads the mesh revision profile example', () => {
    expect(
      normalizeMeshRevisions(meshProfile).map(r => [r.revision, r.upgrades]),
    ).toEqual([
      ['asm-1-17', ['asm-1-18']],
      ['asm-1-18', []],
    ]);
  });

  it('refuses a malformed document, naming the file and path', () => {
    expect(() =>
      normalizeDeploymentSafeguards(
        { value: [{ name: 'default', properties: { level: 3 } }] },
        'deploymentsafeguards.json',
      ),
    ).toThrow(SnapshotReadError);
    expect(() =>
      normalizeDeploymentSafeguards(
        { value: [{ name: 'default', properties: { level: 3 } }] },
        'deploymentsafeguards.json',
      ),
    ).toThrow(/deploymentsafeguards\.json.*value\[0\]\.level/);
    expect(() =>
      normalizeMeshRevisions(
        { properties: { meshRevisions: [{}] } },
        'mesh.json',
      ),
    ).toThrow(/mesh\.json.*meshRevisions\[0\]\.revision/);
  });

  it('keeps no part that was not given', () => {
    expect(
      readSnapshot({
        managedCluster: {
          file: 'cluster.json',
          value: premium.responses['200'].body,
        },
      }).arm,
    ).toBeUndefined();
  });
});

describe('the demo snapshot folders', () => {
  it('carry Safeguards and backup instances the AX rules read', async () => {
    const snapshot = await readSnapshotDirectory(
      path.resolve(
        __dirname,
        '../../../../examples/clusters/aks-prod-westeurope',
      ),
    );
    expect(snapshot.arm?.deploymentSafeguards?.[0]).toMatchObject({
      level: 'Enforce',
      podSecurityStandardsLevel: 'Baseline',
    });
    expect(snapshot.arm?.backupInstances).toHaveLength(1);
  });
});
