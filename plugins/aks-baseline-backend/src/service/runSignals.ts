/*
 * Tells open pages that an evaluation run started or ended, through
 * Backstage signals. The message is broadcast and carries only the run's
 * random id: a page that receives it asks the API again, which answers with
 * what its user may see. Publishing never fails a run.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  AKS_BASELINE_EVALUATIONS_CHANNEL,
  EvaluationSignal,
} from '@aks-baseline/plugin-aks-baseline-common';

/** What the evaluation service tells about its runs as they go. */
export interface RunEventsListener {
  started(runId: string): void;
  finished(runId: string): void;
  /** The entities' scores were stored again. */
  scoresRefreshed(): void;
}

export function signalRunEvents(
  signals: SignalsService,
  logger: LoggerService,
): RunEventsListener {
  const publish = (message: EvaluationSignal) => {
    signals
      .publish<EvaluationSignal>({
        recipients: { type: 'broadcast' },
        channel: AKS_BASELINE_EVALUATIONS_CHANNEL,
        message,
      })
      .catch(error =>
        logger.warn(
          `Could not publish the ${message.type} signal: ${String(error)}`,
        ),
      );
  };
  return {
    started: runId => publish({ type: 'run-started', runId }),
    finished: runId => publish({ type: 'run-finished', runId }),
    scoresRefreshed: () => publish({ type: 'scores-refreshed' }),
  };
}
