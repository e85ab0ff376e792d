/*
 * @kubernetes/client-node 1.x is ESM-only; this CommonJS package loads it
 * with a dynamic import (kept as a real import() by the build), once.
 */
export type KubernetesClientModule = typeof import('@kubernetes/client-node');

let loading: Promise<KubernetesClientModule> | undefined;

function isMissingVmModules(error: unknown): boolean {
  return /experimental-vm-modules/.test(String((error as Error)?.message));
}

export function loadKubernetesClient(): Promise<KubernetesClientModule> {
  loading ??= import('@kubernetes/client-node').catch((error: unknown) => {
    loading = undefined;
    // Jest runs import() only with NODE_OPTIONS=--experimental-vm-modules
    // (what Backstage's own repo sets); without it, Jest's require() can
    // still load the package. Node itself never takes this path.
    if (isMissingVmModules(error)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require('@kubernetes/client-node') as KubernetesClientModule;
    }
    throw error;
  });
  return loading;
}
