/*
 * The two Policy Report kinds (wgpolicyk8s.io/v1alpha2), as the sources
 * read them: custom resources listed with the rules' kinds, so a live
 * cluster answers "not installed" from its CRDs or discovery, and a 403 is
 * recorded as unreadable (sources/kubernetes/readKubernetes.ts).
 */
import type { KindInfo } from '@aks-baseline/plugin-aks-baseline-node';

const GROUP = 'wgpolicyk8s.io';
const VERSION = 'v1alpha2';

function reportKind(
  kind: string,
  plural: string,
  namespaced: boolean,
): KindInfo {
  return {
    kind,
    group: GROUP,
    version: VERSION,
    apiVersion: `${GROUP}/${VERSION}`,
    plural,
    namespaced,
    crd: true,
    crossNamespace: false,
  };
}

export const POLICY_REPORT_KINDS: readonly KindInfo[] = Object.freeze([
  reportKind('PolicyReport', 'policyreports', true),
  reportKind('ClusterPolicyReport', 'clusterpolicyreports', false),
]);

export const POLICY_REPORT_KIND_NAMES: ReadonlySet<string> = new Set(
  POLICY_REPORT_KINDS.map(k => k.kind),
);

/** The rules' kinds with the Policy Report kinds added once. */
export function withPolicyReportKinds(
  kinds: readonly KindInfo[],
): readonly KindInfo[] {
  return [
    ...kinds.filter(k => !POLICY_REPORT_KIND_NAMES.has(k.kind)),
    ...POLICY_REPORT_KINDS,
  ];
}
