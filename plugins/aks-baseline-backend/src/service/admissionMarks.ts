/*
 * Deployment Safeguards awareness on stored findings: each finding whose
 * object the cluster's Safeguards refuse, change or warn about at admission
 * carries what they do (admissionControl in -node), so that the findings
 * API shows it. Without Safeguards read, nothing is marked.
 */
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import {
  admissionControl,
  DeploymentSafeguardsModel,
} from '@aks-baseline/plugin-aks-baseline-node';
import { servedCopy } from '../database/findingRows';

/** The findings, those Safeguards act on with `admission` set (others as they are). */
export function withAdmission(
  findings: readonly Finding[],
  safeguards: readonly DeploymentSafeguardsModel[] | undefined,
): Finding[] {
  if (!safeguards?.length) return [...findings];
  return findings.map(finding => {
    if (finding.status !== 'fail' && finding.status !== 'waived') {
      return finding;
    }
    const admission = admissionControl(finding, safeguards);
    return admission ? servedCopy(finding, { admission }) : finding;
  });
}
