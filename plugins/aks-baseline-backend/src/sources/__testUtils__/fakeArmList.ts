/*
 * Fake ARM listing of managed clusters (ManagedClusters_List and
 * ManagedClusters_ListByResourceGroup) for msw: each subscription's
 * clusters served in pages linked by nextLink, as ARM does.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import listExample from '../__fixtures__/azure/ManagedClustersList.json';
import { armError } from './fakeAzure';

const ARM = 'https://management.azure.com';

/** The published list example's cluster, under another id, name and tags. */
export function listedCluster(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  tags: Record<string, string> = { tier: 'production' },
): Record<string, any> {
  const cluster = structuredClone(
    listExample.responses['200'].body.value[0],
  ) as Record<string, any>;
  cluster.id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  cluster.name = name;
  cluster.tags = tags;
  return cluster;
}

export interface ListRequest {
  subscriptionId: string;
  resourceGroup?: string;
  url: URL;
  authorization: string | null;
}

export function fakeArmList(options: {
  armToken: string;
  /** Each subscription's clusters (REST shape); changed between refreshes by the test. */
  subscriptions: Record<string, Record<string, any>[]>;
  pageSize: number;
  /** Runs first; return a Response to replace the normal answer. */
  override?: (request: ListRequest) => Response | undefined;
}): { handlers: HttpHandler[]; requests: ListRequest[] } {
  const requests: ListRequest[] = [];
  const answer = (request: Request, subscriptionId: string, rg?: string) => {
    const url = new URL(request.url);
    const seen: ListRequest = {
      subscriptionId,
      ...(rg ? { resourceGroup: rg } : {}),
      url,
      authorization: request.headers.get('authorization'),
    };
    requests.push(seen);
    const overridden = options.override?.(seen);
    if (overridden) return overridden;
    if (seen.authorization !== `Bearer ${options.armToken}`) {
      return armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
      );
    }
    const all = (options.subscriptions[subscriptionId] ?? []).filter(
      c =>
        !rg ||
        c.id.toLowerCase().includes(`/resourcegroups/${rg.toLowerCase()}/`),
    );
    const skip = Number(url.searchParams.get('$skipToken') ?? '0');
    const page = all.slice(skip, skip + options.pageSize);
    const next = new URL(url);
    next.searchParams.set('$skipToken', String(skip + options.pageSize));
    return HttpResponse.json({
      value: page,
      ...(skip + options.pageSize < all.length
        ? { nextLink: next.toString() }
        : {}),
    });
  };
  const handlers = [
    http.get(
      `${ARM}/subscriptions/:sub/providers/Microsoft.ContainerService/managedClusters`,
      ({ request, params }) => answer(request, String(params.sub)),
    ),
    http.get(
      `${ARM}/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.ContainerService/managedClusters`,
      ({ request, params }) =>
        answer(request, String(params.sub), String(params.rg)),
    ),
  ];
  return { handlers, requests };
}
