/*
 * The facts published per entity, and how an entity's score answer (or its
 * absence) becomes them. A score, a grade or a count is published only when
 * the aks-baseline backend has one: an entity that was never evaluated gets
 * `hasScore: false` and nothing else, so a check on its score or its
 * findings cannot pass (the rules engine refuses an undefined fact).
 */
import { DateTime } from 'luxon';
import { FactRetriever } from '@backstage-community/plugin-tech-insights-node';
import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';

/** @public */
export const AKS_BASELINE_FACT_RETRIEVER_ID = 'aksBaselineFactRetriever';

/** @public */
export const aksBaselineFactSchema: FactRetriever['schema'] = {
  hasScore: {
    type: 'boolean',
    description:
      'True when the entity has a score. False when it was not evaluated, none of its clusters was ever read or no Kubernetes object matched it (no other fact is then published), or when nothing scorable was judged (only stale, evaluatedAt and unknownChecks are)',
  },
  score: {
    type: 'integer',
    description:
      'AKS baseline score, 0–100, over the entity’s objects on all its clusters (absent when nothing scorable was evaluated)',
  },
  grade: {
    type: 'string',
    description: 'Grade of the score: A, B, C, D or F',
  },
  criticalFindings: {
    type: 'integer',
    description:
      'Failing findings of critical severity (expired waivers included, valid waivers excluded)',
  },
  highFindings: {
    type: 'integer',
    description: 'Failing findings of high severity',
  },
  mediumFindings: {
    type: 'integer',
    description: 'Failing findings of medium severity',
  },
  lowFindings: {
    type: 'integer',
    description: 'Failing findings of low severity',
  },
  waivedFindings: {
    type: 'integer',
    description: 'Failures covered by a valid waiver',
  },
  unknownChecks: {
    type: 'integer',
    description:
      'Checks that could not be decided (a kind could not be read): outside the score',
  },
  stale: {
    type: 'boolean',
    description:
      'True when the last evaluation of one of the entity’s clusters failed and an older result is shown',
  },
  evaluatedAt: {
    type: 'datetime',
    description:
      'When the result shown was computed (latest over its clusters)',
  },
};

export type AksBaselineFacts = Record<
  string,
  number | string | boolean | DateTime
>;

/**
 * The facts of an entity with a score answer. When nothing scorable was
 * judged (every check unknown or not applicable) the counts are withheld
 * too: no failure found is not the same as none there.
 */
export function factsOfScore(answer: EntityScoreResponse): AksBaselineFacts {
  const when = {
    stale: answer.stale,
    evaluatedAt: DateTime.fromISO(answer.evaluatedAt, { zone: 'utc' }),
    unknownChecks: answer.totals.unknown,
  };
  if (answer.score === null || answer.grade === null) {
    return { hasScore: false, ...when };
  }
  const failing = answer.counts.failing;
  return {
    hasScore: true,
    score: answer.score,
    grade: answer.grade,
    criticalFindings: failing.critical,
    highFindings: failing.high,
    mediumFindings: failing.medium,
    lowFindings: failing.low,
    waivedFindings: answer.counts.waived,
    ...when,
  };
}

/** The facts of an entity the backend has no score for. */
export function factsOfNoScore(): AksBaselineFacts {
  return { hasScore: false };
}
