import { useState } from 'react';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import CircularProgress from '@material-ui/core/CircularProgress';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import RefreshIcon from '@material-ui/icons/Refresh';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import {
  EvaluationAccepted,
  aksBaselineEvaluationRunPermission,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';

export const DENIED_TEXT =
  'You do not have permission to run an evaluation (aks-baseline.evaluation.run)';

/**
 * Whether the user may start evaluations: the permission framework's
 * answer, overridden to "no" once the backend answered 403.
 */
export function useRunEvaluation(onStarted: (r: EvaluationAccepted) => void) {
  const api = useApi(aksBaselineApiRef);
  const alertApi = useApi(alertApiRef);
  const permission = usePermission({
    permission: aksBaselineEvaluationRunPermission,
  });
  const [denied, setDenied] = useState(false);
  const [running, setRunning] = useState<string | null>(null);

  const run = async (cluster?: string) => {
    setRunning(cluster ?? '*');
    try {
      const accepted = await api.runEvaluation(cluster ? { cluster } : {});
      alertApi.post({
        message: accepted.alreadyRunning
          ? `An evaluation of ${
              cluster ?? 'all clusters'
            } is already running; its results will appear when it finishes.`
          : `Evaluation started for ${accepted.clusters.length} cluster${
              accepted.clusters.length === 1 ? '' : 's'
            }: ${accepted.clusters.join(', ')}.`,
        severity: accepted.alreadyRunning ? 'info' : 'success',
        display: 'transient',
      });
      onStarted(accepted);
    } catch (e) {
      const error = e as Error;
      if (error instanceof ResponseError && error.statusCode === 403) {
        setDenied(true);
        alertApi.post({ message: DENIED_TEXT, severity: 'error' });
      } else {
        alertApi.post({
          message: `Could not start the evaluation: ${error.message}`,
          severity: 'error',
        });
      }
    } finally {
      setRunning(null);
    }
  };

  return {
    allowed: permission.allowed && !denied,
    loading: permission.loading,
    running,
    run,
  };
}

export type RunEvaluationState = ReturnType<typeof useRunEvaluation>;

/** "Run evaluation" for every cluster; disabled with a reason when not allowed. */
export function RunEvaluationButton(props: { state: RunEvaluationState }) {
  const { allowed, loading, running, run } = props.state;
  const disabled = loading || !allowed || running !== null;
  const button = (
    <Button
      variant="contained"
      color="primary"
      startIcon={
        running === '*' ? (
          <CircularProgress size={16} color="inherit" />
        ) : (
          <PlayArrowIcon />
        )
      }
      disabled={disabled}
      onClick={() => run()}
      data-testid="aks-baseline-run-evaluation"
      aria-describedby={
        !allowed && !loading ? 'aks-baseline-run-denied' : undefined
      }
    >
      {running === '*' ? 'Starting…' : 'Run evaluation'}
    </Button>
  );
  if (!allowed && !loading) {
    return (
      <Tooltip title={DENIED_TEXT}>
        {/* A disabled button gets no pointer events: the span carries the tooltip. */}
        <span>
          {button}
          <span id="aks-baseline-run-denied" hidden>
            {DENIED_TEXT}
          </span>
        </span>
      </Tooltip>
    );
  }
  return button;
}

/** Re-evaluates one cluster. */
export function RunClusterButton(props: {
  state: RunEvaluationState;
  cluster: string;
  /** Its evaluation is going on: nothing to start. */
  evaluating?: boolean;
}) {
  const { allowed, loading, running, run } = props.state;
  let label = allowed ? `Evaluate ${props.cluster} now` : `${DENIED_TEXT}`;
  if (props.evaluating) label = `${props.cluster} is being evaluated`;
  return (
    <Tooltip title={label}>
      <span>
        <IconButton
          size="small"
          aria-label={`Evaluate ${props.cluster} now`}
          disabled={loading || !allowed || running !== null || props.evaluating}
          onClick={() => run(props.cluster)}
        >
          {running === props.cluster || props.evaluating ? (
            <CircularProgress size={18} />
          ) : (
            <RefreshIcon fontSize="small" />
          )}
        </IconButton>
      </span>
    </Tooltip>
  );
}
