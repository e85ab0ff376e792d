/*
 * Reads the fleet from the AKS Baseline backend's API with this plugin's
 * service credentials: `GET /clusters` and `GET /namespaces`. Any failure
 * throws, so that a refresh never replaces the catalog's entities with a
 * partial fleet.
 */
import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FleetCluster, FleetNamespace } from './entities';

export const AKS_BASELINE_PLUGIN_ID = 'aks-baseline';

export interface Fleet {
  clusters: FleetCluster[];
  namespaces: FleetNamespace[];
}

function itemsOf(body: unknown, path: string): unknown[] {
  const items = (body as { items?: unknown })?.items;
  if (!Array.isArray(items)) {
    throw new Error(`GET ${path} answered without an items array`);
  }
  return items;
}

function readCluster(item: any, path: string, i: number): FleetCluster {
  if (typeof item?.name !== 'string' || item.name === '') {
    throw new Error(`GET ${path}: items[${i}] has no name`);
  }
  return {
    name: item.name,
    ...(typeof item.sourceKind === 'string'
      ? { sourceKind: item.sourceKind }
      : {}),
    ...(typeof item.profile === 'string' ? { profile: item.profile } : {}),
    ...(typeof item.status === 'string' ? { status: item.status } : {}),
  };
}

function readNamespace(item: any, path: string, i: number): FleetNamespace {
  if (
    typeof item?.cluster !== 'string' ||
    typeof item?.name !== 'string' ||
    typeof item?.labels !== 'object' ||
    item.labels === null
  ) {
    throw new Error(
      `GET ${path}: items[${i}] is not a namespace (cluster, name, labels)`,
    );
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(item.labels)) {
    if (typeof value === 'string') labels[key] = value;
  }
  return { cluster: item.cluster, name: item.name, labels };
}

export class FleetClient {
  constructor(
    private readonly auth: AuthService,
    private readonly discovery: DiscoveryService,
  ) {}

  private async get(path: string): Promise<unknown[]> {
    const baseUrl = await this.discovery.getBaseUrl(AKS_BASELINE_PLUGIN_ID);
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: await this.auth.getOwnServiceCredentials(),
      targetPluginId: AKS_BASELINE_PLUGIN_ID,
    });
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return itemsOf(await response.json(), path);
  }

  async readFleet(): Promise<Fleet> {
    const [clusters, namespaces] = await Promise.all([
      this.get('/clusters'),
      this.get('/namespaces'),
    ]);
    return {
      clusters: clusters.map((c, i) => readCluster(c, '/clusters', i)),
      namespaces: namespaces.map((n, i) => readNamespace(n, '/namespaces', i)),
    };
  }
}
