/*
 * A fake Kubernetes API server for tests, behind msw: real fetch requests
 * reach it. It keeps objects by API path, answers server-side apply PATCHes
 * and namespace GETs, records every request, and can be told to fail a path.
 */
import { http, HttpResponse } from 'msw';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  authorization: string | null;
  body?: string;
}

export interface Failure {
  status: number;
  reason: string;
  message: string;
  /** Fail this many times, then behave; default forever. */
  times?: number;
}

export class FakeKubernetes {
  readonly requests: RecordedRequest[] = [];
  readonly objects = new Map<string, any>();
  private readonly failures = new Map<string, Failure>();
  private version = 100;

  constructor(readonly baseUrl: string) {}

  /** Makes requests to `path` (method + path, e.g. `PATCH /api/v1/...`) fail. */
  failOn(methodAndPath: string, failure: Failure): void {
    this.failures.set(methodAndPath, failure);
  }

  /** Puts an object in place as if someone else created it. */
  seed(path: string, object: any): void {
    this.objects.set(path, {
      ...object,
      metadata: {
        ...object.metadata,
        uid: `uid-${path}`,
        resourceVersion: String(++this.version),
      },
    });
  }

  writes(): RecordedRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  private failure(method: string, path: string) {
    const key = `${method} ${path}`;
    const failure = this.failures.get(key);
    if (!failure) return undefined;
    if (failure.times !== undefined) {
      failure.times--;
      if (failure.times <= 0) this.failures.delete(key);
    }
    return HttpResponse.json(
      {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: failure.reason,
        message: failure.message,
        code: failure.status,
      },
      { status: failure.status },
    );
  }

  handlers() {
    const base = this.baseUrl;
    const record = async (request: Request) => {
      const url = new URL(request.url);
      const body = request.method === 'GET' ? undefined : await request.text();
      const entry: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
        body,
      };
      this.requests.push(entry);
      return entry;
    };
    return [
      http.get(`${base}/*`, async ({ request }) => {
        const entry = await record(request);
        const failed = this.failure('GET', entry.path);
        if (failed) return failed;
        const object = this.objects.get(entry.path);
        if (!object) {
          return HttpResponse.json(
            {
              kind: 'Status',
              status: 'Failure',
              reason: 'NotFound',
              message: `not found: ${entry.path}`,
              code: 404,
            },
            { status: 404 },
          );
        }
        return HttpResponse.json(object);
      }),
      http.patch(`${base}/*`, async ({ request }) => {
        const entry = await record(request);
        const failed = this.failure('PATCH', entry.path);
        if (failed) return failed;
        if (entry.contentType !== 'application/apply-patch+yaml') {
          return HttpResponse.json(
            { kind: 'Status', reason: 'UnsupportedMediaType', code: 415 },
            { status: 415 },
          );
        }
        const applied = JSON.parse(entry.body!);
        const previous = this.objects.get(entry.path);
        const unchanged =
          previous &&
          JSON.stringify(stripServerFields(previous)) ===
            JSON.stringify(applied);
        const stored = {
          ...applied,
          metadata: {
            ...applied.metadata,
            uid: previous?.metadata?.uid ?? `uid-${entry.path}`,
            resourceVersion: unchanged
              ? previous.metadata.resourceVersion
              : String(++this.version),
          },
        };
        this.objects.set(entry.path, stored);
        return HttpResponse.json(stored, { status: previous ? 200 : 201 });
      }),
    ];
  }
}

function stripServerFields(object: any) {
  const { uid: _uid, resourceVersion: _rv, ...metadata } = object.metadata;
  return { ...object, metadata };
}
