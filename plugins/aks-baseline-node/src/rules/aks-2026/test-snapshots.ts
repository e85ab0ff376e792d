/*
 * Snapshots of the `AX-` rule tests, read by the real readers from the
 * published API examples (which carry their api-version). Test-only.
 */
import meshProfile from '../../__fixtures__/azure/azure-rest-api-specs/2025-10-01/ManagedClustersGet_MeshRevisionProfile.json';
import oldGet from '../../__fixtures__/azure/azure-rest-api-specs/2021-05-01/ManagedClustersGet.json';
import serviceMesh from '../../__fixtures__/azure/azure-rest-api-specs/2026-03-01/ManagedClustersCreate_AzureServiceMesh.json';
import premium from '../../__fixtures__/azure/azure-rest-api-specs/2026-07-01/ManagedClustersCreate_Premium.json';
import natGateway from '../../__fixtures__/azure/azure-rest-api-specs/2026-08-01/ManagedClustersCreate_ManagedNATGateway.json';
import backupList from '../../__fixtures__/azure/azure-rest-api-specs/dataprotection-2024-04-01/ListBackupInstancesExtensionRouting.json';
import { ClusterSnapshot } from '../../engine/types';
import { readSnapshot, SnapshotInput } from '../../readers';

export const PREMIUM = '2026-07-01/ManagedClustersCreate_Premium.json';
export const SERVICE_MESH =
  '2026-03-01/ManagedClustersCreate_AzureServiceMesh.json';
export const NAT_GATEWAY =
  '2026-08-01/ManagedClustersCreate_ManagedNATGateway.json';
export const OLD_GET = '2021-05-01/ManagedClustersGet.json';
export const MESH_PROFILE =
  '2025-10-01/ManagedClustersGet_MeshRevisionProfile.json';
export const BACKUP_LIST =
  'dataprotection-2024-04-01/ListBackupInstancesExtensionRouting.json';

const EXAMPLES: Record<string, unknown> = {
  [PREMIUM]: premium,
  [SERVICE_MESH]: serviceMesh,
  [NAT_GATEWAY]: natGateway,
  [OLD_GET]: oldGet,
  [MESH_PROFILE]: meshProfile,
  [BACKUP_LIST]: backupList,
};

/** A published example (a fresh copy on each call). */
export function example(rel: string): any {
  return structuredClone(EXAMPLES[rel]);
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
