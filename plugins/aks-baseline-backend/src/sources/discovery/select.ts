/*
 * Which listed clusters are kept (tags, include and exclude) and under which
 * name they are stored. Pure: the same listing gives the same names.
 */
import { createHash } from 'crypto';
import { armIdKey, type ManagedClusterRef } from './armId';

/** A managed cluster as ARM listed it. */
export interface ListedCluster extends ManagedClusterRef {
  /** The resource id as ARM gave it. */
  id: string;
  location?: string;
  tags: Record<string, string>;
}

export interface SelectionRules {
  tags: Record<string, string>;
  include: readonly string[];
  exclude: readonly string[];
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** A pattern matches the cluster's name or its resource id. */
function matchesAny(cluster: ListedCluster, patterns: readonly string[]) {
  return patterns.some(pattern => {
    const re = wildcard(pattern);
    return re.test(cluster.clusterName) || re.test(cluster.id);
  });
}

function hasTags(cluster: ListedCluster, tags: Record<string, string>) {
  // ARM tag names are case-insensitive; values are compared as written.
  const own = new Map(
    Object.entries(cluster.tags).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return Object.entries(tags).every(([key, value]) => {
    const found = own.get(key.toLowerCase());
    return found !== undefined && (value === '*' || found === value);
  });
}

export function selectClusters(
  clusters: readonly ListedCluster[],
  rules: SelectionRules,
): ListedCluster[] {
  return clusters.filter(
    c =>
      hasTags(c, rules.tags) &&
      (rules.include.length === 0 || matchesAny(c, rules.include)) &&
      !matchesAny(c, rules.exclude),
  );
}

/** Cluster names are storage keys and annotation values (as in config.ts). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function suffixed(cluster: ListedCluster): string {
  const hash = createHash('sha256')
    .update(armIdKey(cluster.id))
    .digest('hex')
    .slice(0, 6);
  const base = cluster.clusterName
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 56);
  return base ? `${base}-${hash}` : `aks-${hash}`;
}

/**
 * A name for each cluster: its ARM name, unless another listed cluster or a
 * name in `taken` has it (or it is not a valid name); then the name followed
 * by six hex digits of its resource id, the same on every refresh.
 */
export function nameClusters(
  clusters: readonly ListedCluster[],
  taken: ReadonlySet<string>,
): Map<string, ListedCluster> {
  const count = new Map<string, number>();
  for (const c of clusters) {
    count.set(c.clusterName, (count.get(c.clusterName) ?? 0) + 1);
  }
  const named = new Map<string, ListedCluster>();
  for (const c of clusters) {
    const plain =
      NAME.test(c.clusterName) &&
      count.get(c.clusterName) === 1 &&
      !taken.has(c.clusterName);
    named.set(plain ? c.clusterName : suffixed(c), c);
  }
  return named;
}
