import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { absoluteTime, relativeTime } from './format';

/** "Evaluated 5 minutes ago", the exact time on hover. */
export function EvaluatedAt(props: { at?: string; prefix?: string }) {
  const { at, prefix = 'Evaluated' } = props;
  if (!at) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        Not evaluated yet
      </Typography>
    );
  }
  return (
    <Tooltip title={absoluteTime(at)}>
      <Typography
        variant="body2"
        color="textSecondary"
        component="span"
        data-testid="aks-baseline-evaluated-at"
      >
        {prefix} <time dateTime={at}>{relativeTime(at)}</time>
      </Typography>
    </Tooltip>
  );
}

/** Shown when the last attempt failed and the result is older than it looks. */
export function StaleWarning(props: {
  stale: boolean;
  reason?: string;
  evaluatedAt?: string;
}) {
  if (!props.stale) return null;
  return (
    <Alert
      severity="warning"
      variant="outlined"
      data-testid="aks-baseline-stale"
      style={{ marginBottom: 16 }}
    >
      This result may be out of date: the last evaluation failed
      {props.reason ? ` (${props.reason})` : ''}. Showing the last good result
      {props.evaluatedAt ? ` from ${relativeTime(props.evaluatedAt)}` : ''}.
    </Alert>
  );
}

/** A cluster no evaluation has read yet: no result to show, only why. */
export function NeverEvaluatedNotice(props: {
  lastError?: string;
  lastAttemptAt?: string;
}) {
  const { lastError, lastAttemptAt } = props;
  return (
    <Alert
      severity="error"
      variant="outlined"
      data-testid="aks-baseline-never-evaluated"
      style={{ marginBottom: 16 }}
    >
      Never evaluated: no evaluation of this cluster has succeeded yet, so there
      is no score.
      {lastError
        ? ` The last attempt${
            lastAttemptAt ? ` (${relativeTime(lastAttemptAt)})` : ''
          } failed: ${lastError}`
        : ''}
    </Alert>
  );
}
