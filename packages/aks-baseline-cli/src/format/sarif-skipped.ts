/*
 * Inputs read but not judged, in SARIF: results of one extra rule,
 * `input-not-judged`, at the file and line of each skipped document, so
 * that code scanning shows them in the pull request next to the findings
 * (`kind: review`, as for findings that could not be decided).
 */
import { createHash } from 'crypto';
import { SkippedDocument } from '../report';

export const NOT_JUDGED_RULE_ID = 'input-not-judged';

const ABOUT =
  'The scanner read this document but did not judge it against the AKS baseline: it is not a Kubernetes object, it is an unrendered template, or it is an object of a kind the rules read written in an API version the engine does not evaluate. Nothing about it is known to comply.';
const FIX =
  'Render templates first (helm template … | aks-baseline scan -), move non-Kubernetes files out of the scanned folders, and write objects in an API version the cluster serves. A gate fails on skipped inputs unless --allow-skipped is given.';

export const NOT_JUDGED_RULE = {
  id: NOT_JUDGED_RULE_ID,
  name: 'InputNotJudged',
  shortDescription: { text: 'Input read but not judged' },
  fullDescription: { text: ABOUT },
  help: {
    text: `${ABOUT}\n\nFix: ${FIX}`,
    markdown: `${ABOUT}\n\n**Fix:** ${FIX}`,
  },
  defaultConfiguration: { level: 'warning' },
  properties: { tags: ['kubernetes', 'aks', 'not-judged'], precision: 'high' },
};

export function skippedResult(
  s: SkippedDocument,
  ruleIndex: number,
  uriOf: (file: string) => string,
): Record<string, unknown> {
  const physicalLocation: Record<string, unknown> = {
    artifactLocation: { uri: uriOf(s.file) },
  };
  if (s.line !== undefined) physicalLocation.region = { startLine: s.line };
  return {
    ruleId: NOT_JUDGED_RULE_ID,
    ruleIndex,
    kind: 'review',
    level: 'none',
    message: { text: `Not judged: ${s.reason}` },
    locations: [{ physicalLocation }],
    partialFingerprints: {
      'aksBaselineFinding/v1': createHash('sha256')
        .update(`${NOT_JUDGED_RULE_ID}\u0000${s.file}\u0000${s.reason}`)
        .digest('hex')
        .slice(0, 32),
    },
    properties: {
      status: 'skipped',
      ...(s.object ? { object: s.object } : {}),
    },
  };
}
