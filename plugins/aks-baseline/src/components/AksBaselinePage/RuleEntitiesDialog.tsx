import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { Link, Progress, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  RuleEntity,
  RuleFailureCount,
} from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { useEntityLink } from '../../hooks';
import { ServiceError } from '../shared/ServiceError';
import { Score } from './Score';
import { SMALL_TABLE } from '../shared/tableOptions';

type Row = RuleEntity & { id: string };

/**
 * The entities that fail one of the "Rules failed most", each opening its
 * findings of that rule (the AKS Baseline tab filtered by rule).
 */
export function RuleEntitiesDialog(props: {
  rule: RuleFailureCount;
  owner: string;
  /** The entity tab's path (the app's, `aks-baseline` by default). */
  tabPath?: string;
  onClose: () => void;
}) {
  const { rule, owner, tabPath = 'aks-baseline', onClose } = props;
  const api = useApi(aksBaselineApiRef);
  const entityLink = useEntityLink();
  const answer = useAsync(
    () => api.getRuleEntities(rule.ruleId, { owner: owner || undefined }),
    [api, rule.ruleId, owner],
  );
  const columns: TableColumn<Row>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      highlight: true,
      render: row => <EntityRefLink entityRef={row.entityRef} />,
    },
    {
      title: 'Failures',
      field: 'failures',
      type: 'numeric',
      render: row =>
        entityLink ? (
          <Link
            to={entityLink(parseEntityRef(row.entityRef), {
              tab: tabPath,
              query: { rule: rule.ruleId },
            })}
            aria-label={`Open the ${row.failures} ${rule.baselineRef} finding${
              row.failures === 1 ? '' : 's'
            } of ${parseEntityRef(row.entityRef).name}`}
          >
            {row.failures}
          </Link>
        ) : (
          row.failures
        ),
    },
    {
      title: 'Score',
      field: 'score',
      render: row => <Score score={row.score} grade={row.grade} />,
    },
  ];
  const titleId = `aks-baseline-rule-entities-${rule.ruleId}`;
  let body;
  if (answer.loading) body = <Progress />;
  else if (answer.error) {
    body = <ServiceError error={answer.error} what="the entities" />;
  } else if (answer.value) {
    const { items, total } = answer.value;
    body = (
      <>
        <Table
          columns={columns}
          data={items.map(i => ({ ...i, id: i.entityRef }))}
          options={{ ...SMALL_TABLE, toolbar: false }}
          emptyContent={
            <Typography variant="body2" style={{ padding: 16 }}>
              No entity you may see fails this rule.
            </Typography>
          }
        />
        {total > items.length ? (
          <Typography variant="body2" style={{ marginTop: 8 }}>
            The {items.length} with the most failures of {total}.
          </Typography>
        ) : null}
      </>
    );
  }
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        Entities failing {rule.baselineRef} · {rule.title}
      </DialogTitle>
      <DialogContent data-testid="aks-baseline-rule-entities">
        {body}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
