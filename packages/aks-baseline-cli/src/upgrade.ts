/*
 * Upgrade readiness in the CLI, as the portal's cluster page gives it: from
 * the findings of the upgrade rules (upgradeReadiness in -node), only when
 * the managed cluster was read (`az aks show` output, or a snapshot folder's
 * cluster.json): without it the blocking rules did not run, and "no blocker
 * found" would be a pass on nothing.
 */
import {
  upgradeReadiness,
  type UpgradeReadiness,
} from '@aks-baseline/plugin-aks-baseline-node';
import type { ReportFinding, ScanReport } from './report';
import { describeResource } from './report';

/** One finding of the answer, as the JSON output carries it. */
export interface UpgradeReadinessItem {
  ruleId: string;
  baselineRef: string;
  status: ReportFinding['status'];
  resource: string;
  message: string;
}

export interface CliUpgradeReadiness {
  cluster: string;
  status: UpgradeReadiness['status'];
  blockers: UpgradeReadinessItem[];
  unknowns: UpgradeReadinessItem[];
  advisories: UpgradeReadinessItem[];
}

function item(f: ReportFinding): UpgradeReadinessItem {
  return {
    ruleId: f.ruleId,
    baselineRef: f.baselineRef,
    status: f.status,
    resource: describeResource(f.resource),
    message: f.message,
  };
}

/** The readiness of the scanned cluster, or undefined when ARM was not read. */
export function upgradeReadinessOf(
  report: ScanReport,
): CliUpgradeReadiness | undefined {
  if (!report.cluster) return undefined;
  const answer = upgradeReadiness(report.findings);
  // The answer lists the report's own findings: take them back as such.
  const items = (list: readonly object[]) => {
    const picked = new Set(list);
    return report.findings.filter(f => picked.has(f)).map(item);
  };
  return {
    cluster: report.cluster,
    status: answer.status,
    blockers: items(answer.blockers),
    unknowns: items(answer.unknowns),
    advisories: items(answer.advisories),
  };
}

const HEADLINE: Record<UpgradeReadiness['status'], string> = {
  blocked: 'blocked',
  unknown: 'not known (a blocking check could not decide)',
  'no-blocker-found': 'no blocker found by the checks that ran',
};

export function upgradeHeadline(readiness: CliUpgradeReadiness): string {
  return `Upgrade readiness of ${readiness.cluster}: ${
    HEADLINE[readiness.status]
  }`;
}

/** One line per blocker, unknown and advisory, worst first. */
export function upgradeLines(readiness: CliUpgradeReadiness): string[] {
  const line = (label: string) => (i: UpgradeReadinessItem) =>
    `${label} ${i.baselineRef} ${i.ruleId} on ${i.resource}: ${i.message}`;
  return [
    ...readiness.blockers.map(line('blocker:')),
    ...readiness.unknowns.map(line('unknown:')),
    ...readiness.advisories.map(line('advisory:')),
  ];
}
