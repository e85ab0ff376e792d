/**
 * The Backstage signal the backend publishes when an evaluation run starts
 * or ends, so that open pages refresh. It is broadcast, so it carries no
 * cluster name, score or requester: a page that receives it asks the API
 * again, which answers with what the user may see.
 */

/**
 * The signals channel of evaluation runs.
 *
 * @public
 */
export const AKS_BASELINE_EVALUATIONS_CHANNEL = 'aks-baseline:evaluations';

/**
 * A message on {@link AKS_BASELINE_EVALUATIONS_CHANNEL}.
 *
 * @public
 */
export type EvaluationSignal =
  | {
      type: 'run-started' | 'run-finished';
      /** The run's random id (as in `GET /evaluations`). */
      runId: string;
    }
  | {
      /** The entities' scores were stored again after runs. */
      type: 'scores-refreshed';
    };
