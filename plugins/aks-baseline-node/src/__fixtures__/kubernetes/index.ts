/*
 * Realistic `kubectl get -o json` output (single objects and Lists) for rule
 * tests and demo snapshots. Compliant fixtures pass every workload rule of
 * their section; the non-compliant ones carry the usual mistakes.
 */
import { KubeObject } from '../../engine/types';
import shopStorefront from './compliant-shop-storefront.json';
import shopOrdersDb from './compliant-shop-orders-db-statefulset.json';
import shopNightlyReport from './compliant-shop-nightly-report-cronjob.json';
import shopDbMigrate from './compliant-shop-db-migrate-job.json';
import legacyWeb from './noncompliant-legacy-web.json';
import nodeLogAgent from './noncompliant-node-log-agent-daemonset.json';
import veleroDailyBackup from './velero-daily-backup-schedule.json';

const FIXTURES = {
  /**
   * List: Namespace `shop` (production, PSA restricted), ServiceAccount,
   * Deployment `storefront` (3 replicas, restricted security context, probes,
   * requests/limits, zone + host spread), Service, PDB, HPA, default-deny
   * and allow NetworkPolicies, ResourceQuota, LimitRange.
   */
  shopStorefront,
  /** List: StatefulSet `orders-db` (digest-pinned), headless Service, PDB, VPA. */
  shopOrdersDb,
  /** CronJob `nightly-report` on Spot (toleration + nodeSelector), no probes. */
  shopNightlyReport,
  /** Job `db-migrate-1-4-2` (completed), no probes. */
  shopDbMigrate,
  /**
   * List: Namespace `legacy` (production, no PSA labels), Deployment
   * `legacy-web` (1 replica, nginx:latest from Docker Hub with pull Always, a
   * root sidecar, no probes, no limits, no security context), LoadBalancer
   * Service.
   */
  legacyWeb,
  /**
   * List: Namespace `observability` (enforce privileged), DaemonSet
   * `node-log-agent` (hostPath /var/log, runs as UID 0).
   */
  nodeLogAgent,
  /** Velero Schedule `daily-backup` including namespaces shop and staging. */
  veleroDailyBackup,
};

export type KubeFixtureName = keyof typeof FIXTURES;

/** A fresh deep copy of a fixture (object or List), safe to modify. */
export function kubeFixture(name: KubeFixtureName): any {
  return structuredClone(FIXTURES[name]);
}

/** The objects of a fixture, Lists flattened; fresh copies. */
export function kubeFixtureObjects(...names: KubeFixtureName[]): KubeObject[] {
  const out: KubeObject[] = [];
  for (const name of names) {
    const value = kubeFixture(name);
    if (value.kind === 'List') out.push(...value.items);
    else out.push(value);
  }
  return out;
}

/** The object of `kind` named `name` in a list of objects; throws if absent. */
export function findObject(
  objects: KubeObject[],
  kind: string,
  name: string,
): any {
  const hit = objects.find(o => o.kind === kind && o.metadata.name === name);
  if (!hit) throw new Error(`No ${kind} ${name} in fixture objects`);
  return hit;
}
