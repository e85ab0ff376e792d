/*
 * Namespaces and the workload kinds: every workload rule's subjects and
 * every object's namespace come from them, so a read without one of them
 * judged nothing. Whatever the source (a live read, a stopped cluster, a
 * snapshot whose coverage says so), such a read is a failed read: the last
 * good result is kept, marked stale.
 */
import {
  WORKLOAD_KINDS,
  type ClusterSnapshot,
} from '@aks-baseline/plugin-aks-baseline-node';
import { ClusterReadError } from '@aks-baseline/plugin-aks-baseline-node';

export const CORE_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  ...WORKLOAD_KINDS,
]);

/** Throws when a cluster snapshot could not read a core kind. */
export function assertCoreKindsRead(snapshot: ClusterSnapshot): void {
  if (snapshot.coverage.mode !== 'cluster') return;
  for (const kind of CORE_KINDS) {
    const reason = snapshot.coverage.unreadable[kind];
    if (reason !== undefined) {
      throw new ClusterReadError(
        `${kind} objects could not be read (${reason}): no result without them`,
        { cluster: snapshot.name, code: 'incomplete' },
      );
    }
  }
}
