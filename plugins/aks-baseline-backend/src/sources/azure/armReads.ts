/*
 * ARM reads beyond the managed cluster that the `AX-` rules need and
 * @azure/arm-containerservice has no operation for (Deployment Safeguards,
 * Data Protection backup instances): sent through the SDK client's own
 * pipeline, so they carry its credential, retries and user agent. Each is
 * optional: a failure leaves that part unread, with the reason.
 */
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import {
  createDefaultHttpClient,
  createPipelineRequest,
} from '@azure/core-rest-pipeline';

/** The api-version @azure/arm-containerservice 25.5 sends (asserted in the tests). */
export const SDK_MANAGED_CLUSTERS_API_VERSION = '2026-06-01';
/** The first api-version whose Safeguards carry the Pod Security Standards level. */
export const DEPLOYMENT_SAFEGUARDS_API_VERSION = '2025-05-02-preview';
export const DATA_PROTECTION_API_VERSION = '2024-04-01';

/** An ARM answer that was not 2xx, with its status for the caller's message. */
export class ArmReadError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
    this.name = 'ArmReadError';
  }
}

const httpClient = createDefaultHttpClient();

/** The items of an ARM list, following `nextLink` (on the same host only). */
export async function armList(
  client: ContainerServiceClient,
  endpoint: string,
  resourcePath: string,
  apiVersion: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const base = new URL(endpoint);
  let url:
    | string
    | undefined = `${base.origin}${resourcePath}?api-version=${apiVersion}`;
  const items: Record<string, unknown>[] = [];
  for (let page = 0; url && page < 50; page++) {
    const response = await client.pipeline.sendRequest(
      httpClient,
      createPipelineRequest({ url, method: 'GET', abortSignal: signal }),
    );
    let body: any;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : {};
    } catch {
      throw new ArmReadError(
        response.status,
        `${response.status} with a body that is not JSON`,
      );
    }
    if (response.status < 200 || response.status >= 300) {
      const code =
        typeof body?.error?.code === 'string' ? ` ${body.error.code}` : '';
      throw new ArmReadError(response.status, `${response.status}${code}`);
    }
    if (!Array.isArray(body?.value))
      throw new ArmReadError(response.status, 'an answer without a value list');
    items.push(...body.value);
    const next: unknown = body.nextLink;
    url =
      typeof next === 'string' && next && new URL(next).origin === base.origin
        ? next
        : undefined;
  }
  return items;
}
