/*
 * Upgrade readiness on the cluster page: can the cluster move to the next
 * minor now? The backend's answer (GET /clusters/:name/upgrade-readiness)
 * as it is: "no blocker found" is never shown as "ready", and checks that
 * could not decide are listed as such.
 */
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Finding } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef, ClusterUpgradeReadiness } from '../../api';
import { resourceLabel } from '../shared/format';
import { EvaluatedAt } from '../shared/Evaluated';
import { ServiceError } from '../shared/ServiceError';

const SUMMARY: Record<
  ClusterUpgradeReadiness['status'],
  { severity: 'error' | 'warning' | 'success'; text: string }
> = {
  blocked: {
    severity: 'error',
    text: 'Blocked: the next minor cannot be taken now.',
  },
  unknown: {
    severity: 'warning',
    text: 'Not known: a check that could block the upgrade could not decide.',
  },
  'no-blocker-found': {
    severity: 'success',
    text: 'No blocker found by the checks that ran.',
  },
};

function FindingList(props: { label: string; findings: Finding[] }) {
  if (props.findings.length === 0) return null;
  return (
    <>
      <Typography variant="caption" component="h4" color="textSecondary">
        {props.label} ({props.findings.length})
      </Typography>
      <List dense disablePadding aria-label={props.label}>
        {props.findings.map(f => (
          <ListItem
            key={`${f.ruleId}/${f.resource.kind}/${
              f.resource.namespace ?? ''
            }/${f.resource.name}`}
            disableGutters
          >
            <Typography variant="body2">
              <strong>{resourceLabel(f.resource)}</strong>: {f.message}
              {f.status === 'waived' ? ' (waived: still blocks a drain)' : ''}
            </Typography>
          </ListItem>
        ))}
      </List>
    </>
  );
}

/**
 * The cluster's upgrade readiness: blockers, checks that could not decide,
 * and advisories (node images, the date the minor leaves support).
 *
 * @public
 */
export function ClusterUpgradeReadinessSection(props: { cluster: string }) {
  const { cluster } = props;
  const api = useApi(aksBaselineApiRef);
  const state = useAsyncRetry(
    () => api.getUpgradeReadiness(cluster),
    [api, cluster],
  );

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) {
    body = (
      <ServiceError
        error={state.error}
        retry={state.retry}
        what="the upgrade readiness"
      />
    );
  } else if (state.value && !state.value.evaluatedAt) {
    body = (
      <Typography variant="body2">
        Not evaluated yet: nothing is known about the next upgrade.
      </Typography>
    );
  } else if (state.value) {
    const r = state.value;
    const summary = SUMMARY[r.status];
    body = (
      <>
        <Alert
          severity={summary.severity}
          data-testid="aks-baseline-upgrade-status"
        >
          {summary.text}
        </Alert>
        <FindingList label="Blockers" findings={r.blockers} />
        <FindingList label="Could not decide" findings={r.unknowns} />
        <FindingList label="Advisories" findings={r.advisories} />
        <Typography variant="caption" color="textSecondary" component="p">
          From the {r.sourceKind} read,{' '}
          <EvaluatedAt at={r.evaluatedAt} prefix="evaluated" />
        </Typography>
      </>
    );
  }
  return (
    <Box mt={2} data-testid="aks-baseline-upgrade-readiness">
      <Typography variant="subtitle2" component="h3" gutterBottom>
        Upgrade readiness (next minor)
      </Typography>
      {body}
    </Box>
  );
}
