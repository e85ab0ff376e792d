/*
 * A fake Azure Resource Manager for tests, behind msw: the SDK's real
 * requests reach it. It serves one managed cluster (the published
 * ManagedClustersGet example, with the fields a test sets), keeps managed
 * namespaces and role assignments by path, answers a managed-namespace PUT
 * as ARM does (201, provisioningState Updating; Succeeded on the next GET),
 * records every request, and can be told to fail a method and path.
 */
import { http, HttpResponse } from 'msw';
import clusterExample from '../__fixtures__/azure-rest-api-specs/ManagedClustersGet.json';
import namespaceExample from '../__fixtures__/azure-rest-api-specs/ManagedNamespacesGet.json';

export const ARM = 'https://management.azure.com';

export interface ArmRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | null;
  body?: any;
}

export interface ArmFailure {
  status: number;
  code: string;
  message: string;
  times?: number;
}

export class FakeArm {
  readonly requests: ArmRequest[] = [];
  readonly resources = new Map<string, any>();
  private readonly failures = new Map<string, ArmFailure>();
  readonly clusterPath: string;

  constructor(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    properties: Record<string, unknown>,
  ) {
    this.clusterPath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    const body = clusterExample.responses['200'].body;
    this.resources.set(this.clusterPath.toLowerCase(), {
      ...body,
      id: this.clusterPath,
      name,
      location: 'koreacentral',
      properties: { ...body.properties, ...properties },
    });
  }

  namespacePath(namespace: string) {
    return `${this.clusterPath}/managedNamespaces/${namespace}`;
  }

  /** A managed namespace as ARM answers it (shape of the published example). */
  seedNamespace(namespace: string, properties: Record<string, any>) {
    const example = namespaceExample.responses['200'].body;
    this.resources.set(this.namespacePath(namespace).toLowerCase(), {
      ...example,
      id: this.namespacePath(namespace),
      name: namespace,
      location: 'koreacentral',
      tags: undefined,
      properties: {
        ...properties,
        labels: {
          ...properties.labels,
          'kubernetes.azure.com/managedByArm': 'true',
        },
        provisioningState: 'Succeeded',
      },
    });
  }

  failOn(methodAndPath: string, failure: ArmFailure) {
    this.failures.set(methodAndPath.toLowerCase(), failure);
  }

  writes() {
    return this.requests.filter(r => r.method !== 'GET');
  }

  private failed(method: string, path: string) {
    const key = `${method} ${path}`.toLowerCase();
    const failure = this.failures.get(key);
    if (!failure) return undefined;
    if (failure.times !== undefined && --failure.times <= 0) {
      this.failures.delete(key);
    }
    return HttpResponse.json(
      { error: { code: failure.code, message: failure.message } },
      { status: failure.status },
    );
  }

  private notFound(path: string) {
    return HttpResponse.json(
      {
        error: {
          code: 'ResourceNotFound',
          message: `The Resource '${path}' was not found.`,
        },
      },
      { status: 404 },
    );
  }

  handlers() {
    const record = async (request: Request) => {
      const url = new URL(request.url);
      const text = request.method === 'GET' ? '' : await request.text();
      const entry: ArmRequest = {
        method: request.method,
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        authorization: request.headers.get('authorization'),
        body: text ? JSON.parse(text) : undefined,
      };
      this.requests.push(entry);
      return entry;
    };
    return [
      http.get(`${ARM}/*`, async ({ request }) => {
        const entry = await record(request);
        const failed = this.failed('GET', entry.path);
        if (failed) return failed;
        const key = entry.path.toLowerCase();
        const resource = this.resources.get(key);
        if (!resource) return this.notFound(entry.path);
        if (resource.properties?.provisioningState === 'Updating') {
          // Provisioned by the time the poller asks again.
          resource.properties.provisioningState = 'Succeeded';
          return HttpResponse.json({
            ...resource,
            properties: {
              ...resource.properties,
              provisioningState: 'Updating',
            },
          });
        }
        return HttpResponse.json(resource);
      }),
      http.put(`${ARM}/*`, async ({ request }) => {
        const entry = await record(request);
        const failed = this.failed('PUT', entry.path);
        if (failed) return failed;
        const key = entry.path.toLowerCase();
        const previous = this.resources.get(key);
        if (
          key.includes('/providers/microsoft.authorization/roleassignments/')
        ) {
          const stored = {
            id: entry.path,
            name: entry.path.split('/').pop(),
            type: 'Microsoft.Authorization/roleAssignments',
            properties: {
              ...entry.body.properties,
              scope: entry.path.split('/providers/Microsoft.Authorization')[0],
              principalType: entry.body.properties.principalType,
              createdOn: '2026-12-02T14:00:00.0000000Z',
            },
          };
          this.resources.set(key, stored);
          return HttpResponse.json(stored, { status: 201 });
        }
        if (key.includes('/managednamespaces/')) {
          const name = entry.path.split('/').pop()!;
          const stored = {
            id: entry.path,
            name,
            type: 'Microsoft.ContainerService/managedClusters/managedNamespaces',
            location: entry.body.location,
            properties: {
              ...entry.body.properties,
              labels: {
                ...entry.body.properties.labels,
                'kubernetes.azure.com/managedByArm': 'true',
              },
              provisioningState: 'Updating',
            },
          };
          this.resources.set(key, stored);
          return HttpResponse.json(stored, { status: previous ? 200 : 201 });
        }
        return HttpResponse.json(
          { error: { code: 'NotSupportedByFake', message: entry.path } },
          { status: 400 },
        );
      }),
    ];
  }
}
