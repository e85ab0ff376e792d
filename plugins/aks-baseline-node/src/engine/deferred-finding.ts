/*
 * Findings whose words are written when they are read. An evaluation keeps,
 * per failure, only what identifies it (rule, subject, status, waiver); the
 * message and the evidence come from running the pure check again on the
 * same subject when either is read. Why: an evaluation keeps tens of
 * thousands of failures, and every string and evidence array it keeps is
 * copied by the collector. Container rules decide without words
 * (containers.ts); the words other checks give while deciding are not kept
 * either, for the same reason (the check runs again on read).
 *
 * Words read once are not kept on the finding either: reading every finding
 * once (a report, a database write) would otherwise leave all their words on
 * the result, which the collector copies while the reading goes on. The last
 * finding rendered of each rule keeps its words in its rule's slot, so that
 * its message, evidence and fix read in a row render it once; a finding
 * rendered a second time keeps its words, so that no way of reading renders
 * a finding more than twice.
 */
import {
  Category,
  Evidence,
  Finding,
  FindingStatus,
  FixSuggestion,
  ResourceRef,
  Severity,
  Waiver,
} from '@aks-baseline/plugin-aks-baseline-common';
import { keepShapesAlive } from './shape-anchors';
import { CheckOutcome } from './rule';

/**
 * What the findings of one rule in one evaluation share: the rule's parts
 * they repeat, and how to run its check again on one of their subjects.
 */
export interface FindingSource {
  readonly ruleId: string;
  readonly baselineRef: string;
  readonly category: Category;
  /** After configuration overrides. */
  readonly severity: Severity;
  /** The message of a failure whose check gives none. */
  readonly title: string;
  /** The check's outcome on `subject`, with its message and evidence. */
  explain(subject: unknown): CheckOutcome;
  /** The rule's fix for a failure on `subject`, with the finding's evidence. */
  suggestFix(
    subject: unknown,
    evidence: readonly Evidence[],
  ): FixSuggestion | undefined;
  /** The words of the rule's finding rendered last (see above). */
  readonly lastRendered: RenderedWords;
}

/** One finding's words, held for its next read. */
export interface RenderedWords {
  finding: unknown;
  message: string;
  evidence: Evidence[] | undefined;
}

/** A slot for {@link FindingSource.lastRendered}. */
export function newRenderedWords(): RenderedWords {
  return { finding: undefined, message: '', evidence: undefined };
}

/** What `#message` holds once a finding was rendered once and not kept. */
const RENDERED_ONCE = Symbol('rendered once');

/** A {@link Finding} that renders its message and evidence on first read. */
export class DeferredFinding implements Finding {
  readonly ruleId: string;
  readonly baselineRef: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly resource: ResourceRef;
  readonly cluster: string | undefined;
  waiver: Waiver | undefined;
  readonly #source: FindingSource;
  readonly #subject: unknown;
  /** Appended to the message: why a waiver did not apply. */
  readonly #problem: string | undefined;
  /** Its words once rendered twice (RENDERED_ONCE after the first time). */
  #message: string | typeof RENDERED_ONCE | undefined;
  #evidence: Evidence[] | undefined;

  constructor(
    source: FindingSource,
    status: FindingStatus,
    resource: ResourceRef,
    cluster: string | undefined,
    subject: unknown,
    problem: string | undefined,
  ) {
    this.ruleId = source.ruleId;
    this.baselineRef = source.baselineRef;
    this.category = source.category;
    this.severity = source.severity;
    this.status = status;
    this.resource = resource;
    this.cluster = cluster;
    this.waiver = undefined;
    this.#source = source;
    this.#subject = subject;
    this.#problem = problem;
    this.#message = undefined;
    this.#evidence = undefined;
  }

  get message(): string {
    const message = this.#message;
    if (typeof message === 'string') return message;
    return this.#words().message;
  }

  get evidence(): Evidence[] | undefined {
    if (typeof this.#message === 'string') return this.#evidence;
    return this.#words().evidence;
  }

  /**
   * How to fix a failure (fail or waived), worked out by the rule's `fix`
   * each time it is read: never while evaluating, and nothing kept on the
   * finding. Not part of {@link toJSON}.
   */
  get fix(): FixSuggestion | undefined {
    if (this.status !== 'fail' && this.status !== 'waived') return undefined;
    return this.#source.suggestFix(this.#subject, this.evidence ?? []);
  }

  /** The plain finding, keys in the order eager findings have always had. */
  toJSON(): Finding {
    const out: Finding = {
      ruleId: this.ruleId,
      baselineRef: this.baselineRef,
      category: this.category,
      severity: this.severity,
      status: this.status,
      resource: this.resource,
      message: this.message,
    };
    if (this.cluster !== undefined) out.cluster = this.cluster;
    const evidence = this.evidence;
    if (evidence) out.evidence = evidence;
    if (this.waiver) out.waiver = this.waiver;
    return out;
  }

  /** Its words: from its rule's slot when rendered last, else rendered now. */
  #words(): RenderedWords {
    const slot = this.#source.lastRendered;
    if (slot.finding === this) return slot;
    const outcome = this.#source.explain(this.#subject);
    const said =
      outcome.message ??
      (this.status === 'unknown' ? 'Unknown' : this.#source.title);
    const message = this.#problem ? `${said} (${this.#problem})` : said;
    const evidence = outcome.evidence ? outcome.evidence.slice() : undefined;
    if (this.#message === RENDERED_ONCE) {
      this.#message = message;
      this.#evidence = evidence;
    } else {
      this.#message = RENDERED_ONCE;
    }
    slot.finding = this;
    slot.message = message;
    slot.evidence = evidence;
    return slot;
  }
}

/**
 * The fix of a finding the engine made (its rule's `fix` for that failure);
 * undefined for any other finding, or when the rule has none for it.
 *
 * @public
 */
export function fixOf(finding: Finding): FixSuggestion | undefined {
  return finding instanceof DeferredFinding ? finding.fix : undefined;
}

// Its hidden class outlives the findings of one evaluation (see shape-anchors.ts).
keepShapesAlive(
  new DeferredFinding(
    {
      ruleId: '',
      baselineRef: '',
      category: 'cluster',
      severity: 'low',
      title: '',
      explain: () => ({ status: 'fail' }),
      suggestFix: () => undefined,
      lastRendered: newRenderedWords(),
    },
    'fail',
    { kind: '', name: '' },
    undefined,
    undefined,
    undefined,
  ),
);
