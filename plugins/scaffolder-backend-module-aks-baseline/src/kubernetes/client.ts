/*
 * The few Kubernetes API calls the create action needs, over plain fetch:
 * read a Namespace, and server-side apply an object (PATCH with
 * `application/apply-patch+yaml`, one field manager, never forced). The
 * cluster's CA goes to an undici Agent used as fetch's dispatcher.
 */
import { Agent } from 'undici';
import { ReachableCluster } from '../config';
import { FIELD_MANAGER, Manifest } from '../manifests';
import { TokenProvider } from './credentials';

/** Where a kind lives in the API (only the kinds the scaffolder writes). */
const RESOURCE_PATHS: Record<string, { prefix: string; plural: string }> = {
  Namespace: { prefix: '/api/v1', plural: 'namespaces' },
  ResourceQuota: { prefix: '/api/v1', plural: 'resourcequotas' },
  LimitRange: { prefix: '/api/v1', plural: 'limitranges' },
  ServiceAccount: { prefix: '/api/v1', plural: 'serviceaccounts' },
  NetworkPolicy: {
    prefix: '/apis/networking.k8s.io/v1',
    plural: 'networkpolicies',
  },
  RoleBinding: {
    prefix: '/apis/rbac.authorization.k8s.io/v1',
    plural: 'rolebindings',
  },
};

/** The API path of an object (namespaced kinds under their namespace). */
export function objectPath(kind: string, name: string, namespace?: string) {
  const info = RESOURCE_PATHS[kind];
  if (!info) throw new Error(`The scaffolder does not apply ${kind} objects`);
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${info.prefix}${ns}/${info.plural}/${encodeURIComponent(name)}`;
}

/** A failed API call, with the API server's Status message. */
export class KubernetesApiError extends Error {
  readonly status: number;
  readonly reason?: string;
  constructor(message: string, status: number, reason?: string) {
    super(message);
    this.name = 'KubernetesApiError';
    this.status = status;
    this.reason = reason;
  }
}

export interface KubernetesClientOptions {
  cluster: ReachableCluster;
  getToken: TokenProvider;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ApplyResult {
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

const agents = new Map<string, Agent>();

function agentFor(ca: string): Agent {
  let agent = agents.get(ca);
  if (!agent) {
    agent = new Agent({ connect: { ca } });
    agents.set(ca, agent);
  }
  return agent;
}

export class KubernetesClient {
  private token?: string;

  constructor(private readonly options: KubernetesClientOptions) {}

  private async request(
    method: 'GET' | 'PATCH',
    path: string,
    body?: string,
  ): Promise<{ status: number; json: any }> {
    const { cluster } = this.options;
    this.token ??= await this.options.getToken(cluster);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.token}`,
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/apply-patch+yaml';
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal
      ? AbortSignal.any([this.options.signal, timeout])
      : timeout;
    const init: RequestInit & { dispatcher?: Agent } = {
      method,
      headers,
      body,
      signal,
    };
    if (cluster.ca) init.dispatcher = agentFor(cluster.ca);
    let response: Response;
    try {
      response = await fetch(`${cluster.url}${path}`, init);
    } catch (e) {
      const error = e as Error & { cause?: Error & { code?: string } };
      const cause = error.cause?.code ?? error.cause?.message ?? error.message;
      throw new KubernetesApiError(
        timeout.aborted
          ? `Cluster ${cluster.name} did not answer ${method} ${path} within ${this.options.timeoutMs} ms`
          : `Cannot reach cluster ${cluster.name} at ${cluster.url}: ${cause}`,
        0,
      );
    }
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json: json ?? { message: text } };
  }

  private failure(
    status: number,
    json: any,
    action: string,
  ): KubernetesApiError {
    const { cluster } = this.options;
    const detail = json?.message ? `: ${json.message}` : '';
    const reason = json?.reason as string | undefined;
    switch (status) {
      case 401:
        return new KubernetesApiError(
          `Cluster ${cluster.name} rejected the scaffolder's credentials (401 Unauthorized) while trying to ${action}${detail}`,
          status,
          reason,
        );
      case 403:
        return new KubernetesApiError(
          `The scaffolder's identity may not ${action} on cluster ${cluster.name} (403 Forbidden)${detail}. Bind it to the ClusterRole in deploy/kubernetes/scaffolder-clusterrole.yaml`,
          status,
          reason,
        );
      case 409:
        return new KubernetesApiError(
          `Conflict while trying to ${action} on cluster ${cluster.name} (409)${detail}. Another field manager owns these fields; the scaffolder applies without force and overwrote nothing`,
          status,
          reason,
        );
      case 422:
        return new KubernetesApiError(
          `Cluster ${cluster.name} rejected the object as invalid while trying to ${action} (422 Unprocessable Entity)${detail}`,
          status,
          reason,
        );
      default:
        return new KubernetesApiError(
          `Cluster ${cluster.name} answered ${status} while trying to ${action}${detail}`,
          status,
          reason,
        );
    }
  }

  /** The Namespace, or `undefined` if it does not exist. */
  async getNamespace(name: string): Promise<Manifest | undefined> {
    const { status, json } = await this.request(
      'GET',
      objectPath('Namespace', name),
    );
    if (status === 404) return undefined;
    if (status >= 200 && status < 300) return json as Manifest;
    throw this.failure(status, json, `read namespace ${name}`);
  }

  /** Server-side apply of one object; the body is the object as JSON (valid YAML). */
  async apply(manifest: Manifest): Promise<ApplyResult> {
    const { kind } = manifest;
    const { name, namespace } = manifest.metadata;
    const path = `${objectPath(
      kind,
      name,
      namespace,
    )}?fieldManager=${FIELD_MANAGER}&force=false`;
    const { status, json } = await this.request(
      'PATCH',
      path,
      applyPatchBody(manifest),
    );
    if (status >= 200 && status < 300) {
      return {
        kind,
        name,
        namespace,
        uid: json?.metadata?.uid,
        resourceVersion: json?.metadata?.resourceVersion,
      };
    }
    const where = namespace ? `${namespace}/${name}` : name;
    throw this.failure(status, json, `apply ${kind} ${where}`);
  }
}

/** The exact apply-patch body sent for a manifest (JSON is YAML). */
export function applyPatchBody(manifest: Manifest): string {
  return JSON.stringify(manifest);
}
