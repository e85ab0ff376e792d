/*
 * Findings whose words are written when they are read. An evaluation keeps,
 * per failure, only what identifies it (rule, subject, status, waiver); the
 * message and the evidence come from running the pure check again on the
 * same subject the first time either is read. Why: an evaluation keeps tens
 * of thousands of failures that are seldom all read, and every string and
 * evidence array it keeps is copied by the collector. Container rules decide
 * without words (containers.ts); the words other checks give while deciding
 * are not kept either, for the same reason (the check runs again on read).
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
import { CheckOutcome } from './types';

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
}

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
  #message: string | undefined;
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
    if (this.#message === undefined) this.#render();
    return this.#message!;
  }

  get evidence(): Evidence[] | undefined {
    if (this.#message === undefined) this.#render();
    return this.#evidence;
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
    if (this.#evidence) out.evidence = this.#evidence;
    if (this.waiver) out.waiver = this.waiver;
    return out;
  }

  #render(): void {
    const outcome = this.#source.explain(this.#subject);
    const message =
      outcome.message ??
      (this.status === 'unknown' ? 'Unknown' : this.#source.title);
    this.#message = this.#problem ? `${message} (${this.#problem})` : message;
    this.#evidence = outcome.evidence ? outcome.evidence.slice() : undefined;
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
    },
    'fail',
    { kind: '', name: '' },
    undefined,
    undefined,
    undefined,
  ),
);
