/**
 * An item of an entity's manual checklist confirmed, as the backend keeps
 * it: shared by everyone who may see the entity.
 *
 * @public
 */
export interface ManualConfirmation {
  ruleId: string;
  /** The user (entity ref) or service that confirmed it. */
  by: string;
  confirmedAt: string;
  /** After this, the item reads as not confirmed again. */
  expiresAt: string;
}

/**
 * One change of a checklist item, for its history.
 *
 * @public
 */
export interface ManualChecklistEvent {
  ruleId: string;
  action: 'confirmed' | 'withdrawn';
  by: string;
  at: string;
}

/**
 * `GET /entities/:namespace/:kind/:name/manual`: the items confirmed now
 * (not expired) and the latest changes, newest first.
 *
 * @public
 */
export interface ManualChecklistResponse {
  confirmations: ManualConfirmation[];
  history: ManualChecklistEvent[];
  /** How long a confirmation lasts (`aksBaseline.manualChecks.confirmationTtl`), in days. */
  ttlDays: number;
}
