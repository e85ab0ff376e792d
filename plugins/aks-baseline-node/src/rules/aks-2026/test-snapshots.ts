/*
 * Snapshots of the `AX-` rule tests, read by the real readers from the
 * published API examples (which carry their api-version). Test-only.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { readSnapshot, SnapshotInput } from '../../readers';
import { ClusterSnapshot } from '../../engine/types';

const FIXTURES = join(
  __dirname,
  '../../__fixtures__/azure/azure-rest-api-specs',
);

/** A published example, parsed (a fresh copy on each call). */
export function example(rel: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, rel), 'utf8'));
}

/** The cluster document of an example, with `edit` applied to its properties. */
export function exampleCluster(
  rel: string,
  edit: (properties: any, body: any) => void = () => {},
): any {
  const doc = example(rel);
  const body = doc.responses['200'].body;
  edit(body.properties, body);
  return doc;
}

/** A snapshot read from documents as the CLI and the directory reader do. */
export function snapshotFrom(
  cluster: unknown,
  rest: Omit<SnapshotInput, 'managedCluster'> = {},
): ClusterSnapshot {
  return readSnapshot({
    ...rest,
    managedCluster: { file: 'cluster.json', value: cluster },
  });
}

export const PREMIUM = '2026-07-01/ManagedClustersCreate_Premium.json';
export const SERVICE_MESH =
  '2026-03-01/ManagedClustersCreate_AzureServiceMesh.json';
export const NAT_GATEWAY =
  '2026-08-01/ManagedClustersCreate_ManagedNATGateway.json';
export const OLD_GET = '2021-05-01/ManagedClustersGet.json';
