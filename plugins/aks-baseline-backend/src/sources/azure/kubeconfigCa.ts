/*
 * `listClusterUserCredentials` returns a whole kubeconfig, which may carry
 * credentials (a client certificate or token for clusters with local
 * accounts). Only the cluster CA and the server are taken from it; the rest
 * is dropped at once and never logged or kept.
 */
import { parse } from 'yaml';

export interface KubeconfigCluster {
  /** Base64 PEM, as in `certificate-authority-data`. */
  caData: string;
  server?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hostOf(server: unknown): string | undefined {
  if (typeof server !== 'string') return undefined;
  try {
    return new URL(server).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The CA of the kubeconfig's cluster whose server host is `host` (or of its
 * only cluster). Undefined when there is none; never throws with content
 * of the kubeconfig in the message.
 */
export function caFromKubeconfig(
  kubeconfig: Uint8Array | string,
  host: string | undefined,
): KubeconfigCluster | undefined {
  let doc: unknown;
  try {
    const text =
      typeof kubeconfig === 'string'
        ? kubeconfig
        : Buffer.from(kubeconfig).toString('utf8');
    doc = parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || !Array.isArray(doc.clusters)) return undefined;
  const entries: KubeconfigCluster[] = [];
  const wanted = host?.toLowerCase();
  let match: KubeconfigCluster | undefined;
  for (const entry of doc.clusters) {
    const cluster = isObject(entry) ? entry.cluster : undefined;
    if (!isObject(cluster)) continue;
    const caData = cluster['certificate-authority-data'];
    if (typeof caData !== 'string' || !caData) continue;
    const server =
      typeof cluster.server === 'string' ? cluster.server : undefined;
    const found = { caData, ...(server ? { server } : {}) };
    entries.push(found);
    if (wanted && hostOf(server) === wanted) match = found;
  }
  return match ?? (entries.length === 1 ? entries[0] : undefined);
}
