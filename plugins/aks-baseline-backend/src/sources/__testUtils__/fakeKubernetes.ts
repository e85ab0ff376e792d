/*
 * A fake Kubernetes API server for msw: serves objects as typed Lists
 * (`PodList`, items without kind/apiVersion, as the API server does), in
 * pages of `limit` with opaque continue tokens, discovery of the API groups
 * (`GET /apis/<group>/<version>`, an APIResourceList of the kinds served),
 * checks the bearer token, and records every request so tests can prove
 * what was (not) called.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import {
  KNOWN_KINDS,
  crdName,
  type KindInfo,
} from '@aks-baseline/plugin-aks-baseline-node';

export interface FakeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  authorization: string | null;
  accept: string | null;
}

export type Responder = (
  request: Request,
  url: URL,
) => Response | undefined | Promise<Response | undefined>;

export interface FakeKubernetesOptions {
  /** `https://aks-x.hcp.westeurope.azmk8s.io` (no path, port optional). */
  baseUrl: string;
  objects: FakeObject[];
  /** Names of installed CRDs (`schedules.velero.io`). */
  crds?: string[];
  /** Custom resources served besides the built-in kinds (`kindsToRead(rules)`'s). */
  customKinds?: readonly KindInfo[];
  /** Accepted bearer token; anything else gets 401. */
  token: string;
  /** Largest page the server returns, whatever `limit` asks. */
  maxPageSize?: number;
  /** Runs first for every request: return a Response to override. */
  override?: Responder;
}

export function statusBody(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

export function statusResponse(
  code: number,
  reason: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return HttpResponse.json(statusBody(code, reason, message), {
    status: code,
    headers,
  });
}

/** A CRD as `kubectl get crd -o json` prints it (trimmed schema). */
export function crdObject(
  name: string,
  kinds: readonly KindInfo[] = KNOWN_KINDS,
): FakeObject {
  const [plural, ...group] = name.split('.');
  const info = kinds.find(k => crdName(k) === name);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name,
      uid: `0d5c${name.length}e2a-1111-4b7e-9a52-5e3c8f0a${plural.length}b21`,
      creationTimestamp: '2025-03-02T09:14:11Z',
      labels: { 'app.kubernetes.io/managed-by': 'Helm' },
    },
    spec: {
      group: group.join('.'),
      names: {
        kind: info?.kind ?? plural,
        listKind: `${info?.kind ?? plural}List`,
        plural,
        singular: plural.replace(/s$/, ''),
      },
      scope: info?.namespaced === false ? 'Cluster' : 'Namespaced',
      versions: [
        {
          name: info?.version ?? 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object' } },
        },
      ],
    },
  };
}

function stripTypeMeta(o: FakeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

export function fakeKubernetesApi(options: FakeKubernetesOptions): {
  handlers: HttpHandler[];
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const base = new URL(options.baseUrl);
  const origin = `${base.protocol}//${base.hostname}${
    base.port && base.port !== '443' ? `:${base.port}` : ''
  }`;
  const maxPage = options.maxPageSize ?? Infinity;
  const servedKinds = [...KNOWN_KINDS, ...(options.customKinds ?? [])];
  const crdObjects = (options.crds ?? []).map(name =>
    crdObject(name, servedKinds),
  );

  const serve = async (
    request: Request,
    group: string,
    version: string,
    plural: string,
  ): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      url,
      authorization: request.headers.get('authorization'),
      accept: request.headers.get('accept'),
    });
    const overridden = await options.override?.(request, url);
    if (overridden) return overridden;
    if (request.headers.get('authorization') !== `Bearer ${options.token}`) {
      return statusResponse(401, 'Unauthorized', 'Unauthorized');
    }
    const info = servedKinds.find(
      k => k.group === group && k.version === version && k.plural === plural,
    );
    const installed =
      info && (!info.crd || (options.crds ?? []).includes(crdName(info)));
    if (!info || !installed) {
      return statusResponse(
        404,
        'NotFound',
        `the server could not find the requested resource`,
      );
    }
    const all =
      info.kind === 'CustomResourceDefinition'
        ? crdObjects
        : options.objects.filter(
            o =>
              o.kind === info.kind &&
              (o.apiVersion === info.apiVersion ||
                o.apiVersion.split('/')[0] === info.group),
          );
    const limit = Number(url.searchParams.get('limit') ?? '0') || Infinity;
    const size = Math.min(limit, maxPage);
    const token = url.searchParams.get('continue');
    let start = 0;
    if (token) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString());
      if (decoded.kind !== info.kind) {
        return statusResponse(400, 'BadRequest', 'invalid continue token');
      }
      start = decoded.start;
    }
    const page = all.slice(start, start + size);
    const next = start + size < all.length ? start + size : undefined;
    const metadata: Record<string, unknown> = { resourceVersion: '48213577' };
    if (next !== undefined) {
      metadata.continue = Buffer.from(
        JSON.stringify({ kind: info.kind, start: next, rv: 48213577 }),
      ).toString('base64');
      metadata.remainingItemCount = all.length - next;
    }
    const metadataOnly = /as=PartialObjectMetadataList/.test(
      request.headers.get('accept') ?? '',
    );
    if (metadataOnly) {
      return HttpResponse.json(
        {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata,
          items: page.map(o => ({
            kind: 'PartialObjectMetadata',
            apiVersion: 'meta.k8s.io/v1',
            metadata: o.metadata,
          })),
        },
        {
          headers: {
            'content-type':
              'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
          },
        },
      );
    }
    return HttpResponse.json({
      kind: `${info.kind}List`,
      apiVersion: info.apiVersion,
      metadata,
      items: page.map(stripTypeMeta),
    });
  };

  /** `kubectl get --raw /apis/<group>/<version>`: the kinds it serves. */
  const discover = async (
    request: Request,
    group: string,
    version: string,
  ): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      url,
      authorization: request.headers.get('authorization'),
      accept: request.headers.get('accept'),
    });
    const overridden = await options.override?.(request, url);
    if (overridden) return overridden;
    if (request.headers.get('authorization') !== `Bearer ${options.token}`) {
      return statusResponse(401, 'Unauthorized', 'Unauthorized');
    }
    const kinds = servedKinds.filter(
      k =>
        k.group === group &&
        k.version === version &&
        (!k.crd || (options.crds ?? []).includes(crdName(k))),
    );
    if (kinds.length === 0) {
      return statusResponse(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    return HttpResponse.json({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${group}/${version}`,
      resources: kinds.map(k => ({
        name: k.plural,
        singularName: k.kind.toLowerCase(),
        namespaced: k.namespaced,
        kind: k.kind,
        verbs: ['get', 'list', 'watch'],
      })),
    });
  };

  const handlers = [
    http.get(`${origin}/apis/:group/:version`, ({ request, params }) =>
      discover(request, String(params.group), String(params.version)),
    ),
    http.get(`${origin}/api/:version/:plural`, ({ request, params }) =>
      serve(request, '', String(params.version), String(params.plural)),
    ),
    http.get(`${origin}/apis/:group/:version/:plural`, ({ request, params }) =>
      serve(
        request,
        String(params.group),
        String(params.version),
        String(params.plural),
      ),
    ),
    // Anything else (per-namespace lists, Secrets, discovery) is recorded
    // and refused, so a test sees it.
    http.all(`${origin}/*`, ({ request }) => {
      requests.push({
        method: request.method,
        url: new URL(request.url),
        authorization: request.headers.get('authorization'),
        accept: request.headers.get('accept'),
      });
      return statusResponse(404, 'NotFound', 'not served by the fake');
    }),
  ];
  return { handlers, requests };
}

/** Flattens `kubectl get -o json` documents (Lists or single objects). */
export function objectsOf(...docs: unknown[]): FakeObject[] {
  const out: FakeObject[] = [];
  for (const doc of docs as any[]) {
    if (doc?.kind === 'List' || Array.isArray(doc?.items)) {
      for (const item of doc.items) out.push(item);
    } else if (doc) {
      out.push(doc);
    }
  }
  return out;
}
