import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ResponseErrorPanel } from '@backstage/core-components';

/** Gateway answers: a proxy or load balancer in front of a backend that is not there. */
const GATEWAY_STATUSES = [502, 503, 504];

/** The backend's own message when it sent one (a `ResponseError`'s cause), else the error's. */
function messageOf(error: Error): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' && cause.message
    ? cause.message
    : error.message;
}

function statusOf(error: Error): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * How a failed call to the AKS Baseline backend should be explained:
 * `unreachable` when no answer came (the request failed on the network, or a
 * gateway answered for the backend), `failed` when the backend answered
 * with a server error, `other` for everything the user should read as is
 * (a 4xx says what was wrong with the request).
 */
export function serviceErrorKind(
  error: Error,
): 'unreachable' | 'failed' | 'other' {
  const status = statusOf(error);
  if (status === undefined) {
    // fetch rejects with a TypeError when no response arrives at all.
    return error.name === 'TypeError' ? 'unreachable' : 'other';
  }
  if (GATEWAY_STATUSES.includes(status)) return 'unreachable';
  return status >= 500 ? 'failed' : 'other';
}

/**
 * A failed call to the AKS Baseline backend, in words, with a retry: "cannot
 * reach the service" instead of a raw `Failed to fetch: GET http://...`.
 */
export function ServiceError(props: {
  error: Error;
  retry?: () => void;
  /** What could not be loaded, e.g. "the score". */
  what?: string;
}) {
  const { error, retry, what = 'this' } = props;
  const kind = serviceErrorKind(error);
  if (kind === 'other') return <ResponseErrorPanel error={error} />;
  const retryButton = retry ? (
    <Button color="inherit" size="small" variant="outlined" onClick={retry}>
      Retry
    </Button>
  ) : undefined;
  const status = statusOf(error);
  return (
    <Alert
      severity="error"
      action={retryButton}
      data-testid="aks-baseline-service-error"
    >
      {kind === 'unreachable' ? (
        <>
          <AlertTitle>
            The portal cannot reach the AKS Baseline service
          </AlertTitle>
          <Typography variant="body2">
            No answer came from the AKS Baseline backend
            {status ? ` (HTTP ${status} from the gateway)` : ''}, so {what}{' '}
            cannot be shown. It may be restarting or down: retry in a moment,
            and tell your platform team if it lasts.
          </Typography>
        </>
      ) : (
        <>
          <AlertTitle>The AKS Baseline service failed to answer</AlertTitle>
          <Typography variant="body2">
            The backend answered with an error (HTTP {status}), so {what} cannot
            be shown: {messageOf(error)}
          </Typography>
        </>
      )}
    </Alert>
  );
}
