/*
 * ARM reads beyond the managed cluster that the `AX-` rules need and
 * @azure/arm-containerservice has no operation for (Deployment Safeguards,
 * Data Protection backup instances): sent through the SDK's own client
 * context (`createContainerService`, built with the same credential, retry
 * and policies as the operations), so they carry its token and user agent.
 */
import type { ContainerServiceContext } from '@azure/arm-containerservice/api';

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

/** Pages followed at most: a list that never ends is refused, not followed. */
const MAX_PAGES = 50;

/** The items of an ARM list at `resourcePath`, following `nextLink` on the same host. */
export async function armList(
  context: ContainerServiceContext,
  endpoint: string,
  resourcePath: string,
  apiVersion: string,
  signal: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const origin = new URL(endpoint).origin;
  let url:
    | string
    | undefined = `${origin}${resourcePath}?api-version=${apiVersion}`;
  const items: Record<string, unknown>[] = [];
  for (let page = 0; url; page++) {
    if (page === MAX_PAGES)
      throw new ArmReadError(200, `a list longer than ${MAX_PAGES} pages`);
    const response = await context
      .pathUnchecked(url)
      .get({ abortSignal: signal });
    const status = Number(response.status);
    const body: any = response.body;
    if (status < 200 || status >= 300) {
      const code =
        typeof body?.error?.code === 'string' ? ` (${body.error.code})` : '';
      throw new ArmReadError(status, `HTTP ${status}${code}`);
    }
    if (!Array.isArray(body?.value))
      throw new ArmReadError(status, 'an answer without a value list');
    items.push(...body.value);
    const next: unknown = body.nextLink;
    url =
      typeof next === 'string' && next && new URL(next).origin === origin
        ? next
        : undefined;
  }
  return items;
}
