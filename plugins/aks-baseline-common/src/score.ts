import { CATEGORIES, Category } from './category';
import { Finding } from './finding';
import { SEVERITY_WEIGHTS, Severity } from './severity';

/**
 * Counts of outcomes for one subject (or any union of subjects), split by
 * whether they enter the score. Passes are counted, never stored one by one.
 *
 * @public
 */
export interface Tally {
  passed: number;
  failed: number;
  /** Sum of severity weights of the passed checks. */
  passedWeight: number;
  /** Sum of severity weights of the failed checks (expired waivers included). */
  failedWeight: number;
  /** Could not be decided (resource unreadable): shown apart, outside the score. */
  unknown: number;
  /** Failed but covered by a valid waiver: outside the score. */
  waived: number;
  notApplicable: number;
}

/** @public */
export type CategoryTallies = Partial<Record<Category, Tally>>;

/** @public */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

/** @public */
export interface CategoryScore extends Tally {
  category: Category;
  score: number | null;
}

/** @public */
export interface ScoreSummary {
  /** 0–100, or null when nothing scorable was evaluated. */
  score: number | null;
  grade: Grade | null;
  totals: Tally;
  categories: CategoryScore[];
}

/** @public */
export function emptyTally(): Tally {
  return {
    passed: 0,
    failed: 0,
    passedWeight: 0,
    failedWeight: 0,
    unknown: 0,
    waived: 0,
    notApplicable: 0,
  };
}

/**
 * Adds `from` into `into` and returns `into`.
 *
 * @public
 */
export function addTally(into: Tally, from: Tally): Tally {
  into.passed += from.passed;
  into.failed += from.failed;
  into.passedWeight += from.passedWeight;
  into.failedWeight += from.failedWeight;
  into.unknown += from.unknown;
  into.waived += from.waived;
  into.notApplicable += from.notApplicable;
  return into;
}

/**
 * Adds every category of `from` into `into` and returns `into`.
 *
 * @public
 */
export function addCategoryTallies(
  into: CategoryTallies,
  from: CategoryTallies,
): CategoryTallies {
  for (const category of CATEGORIES) {
    const tally = from[category];
    if (tally) addTally((into[category] ??= emptyTally()), tally);
  }
  return into;
}

/**
 * The score: the share of severity weight that passed,
 * `100 · Σw(pass) / (Σw(pass) + Σw(fail))`, rounded down so that a single
 * failure never shows as 100. Not-applicable, waived and unknown checks are
 * outside both sums.
 *
 * @public
 */
export function scoreOf(tally: Tally): number | null {
  const total = tally.passedWeight + tally.failedWeight;
  if (total === 0) return null;
  return Math.floor((100 * tally.passedWeight) / total);
}

/** @public */
export function gradeOf(score: number | null): Grade | null {
  if (score === null) return null;
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

/** @public */
export function summarize(tallies: CategoryTallies): ScoreSummary {
  const totals = emptyTally();
  const categories: CategoryScore[] = [];
  for (const category of CATEGORIES) {
    const tally = tallies[category];
    if (!tally) continue;
    addTally(totals, tally);
    categories.push({ category, score: scoreOf(tally), ...tally });
  }
  const score = scoreOf(totals);
  return { score, grade: gradeOf(score), totals, categories };
}

/** @public */
export function severityWeight(severity: Severity): number {
  return SEVERITY_WEIGHTS[severity];
}

/**
 * What one failing finding costs, in score points.
 *
 * @public
 */
export interface ScoreCost {
  finding: Finding;
  points: number;
}

/**
 * Explains a score: each failed finding's share of the total weight, in
 * points out of 100, most expensive first. The points add up to
 * `100 - score` (before rounding).
 *
 * @public
 */
export function explainScore(findings: Finding[], totals: Tally): ScoreCost[] {
  const total = totals.passedWeight + totals.failedWeight;
  if (total === 0) return [];
  return findings
    .filter(f => f.status === 'fail')
    .map(finding => ({
      finding,
      points: (100 * SEVERITY_WEIGHTS[finding.severity]) / total,
    }))
    .sort((a, b) => b.points - a.points);
}
