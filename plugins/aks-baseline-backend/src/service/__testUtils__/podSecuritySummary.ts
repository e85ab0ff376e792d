import { summarize } from '@aks-baseline/plugin-aks-baseline-common';

/**
 * A summary with one passed pod-security check (weight 20) and, when
 * `failedWeight` is above 0, one failed check of that weight: the score
 * moves with `failedWeight` alone.
 */
export function podSecuritySummary(failedWeight: number) {
  return summarize({
    'pod-security': {
      passed: 1,
      failed: failedWeight > 0 ? 1 : 0,
      passedWeight: 20,
      failedWeight,
      unknown: 0,
      waived: 0,
      notApplicable: 0,
    },
  });
}
