import Typography from '@material-ui/core/Typography';
import { Table, TableColumn } from '@backstage/core-components';
import {
  PassedRule,
  UnattributedPasses,
} from '@aks-baseline/plugin-aks-baseline-common';
import { SeverityChip } from './Chips';
import { categoryTitle, resourceLabel } from './format';
import { SMALL_TABLE } from './tableOptions';

type Row = PassedRule & { id: string };

function Objects(props: { rule: PassedRule }) {
  const { objects, total } = props.rule;
  return (
    <>
      {objects.map(o => (
        <div key={resourceLabel(o)}>{resourceLabel(o)}</div>
      ))}
      {total > objects.length && (
        <div>
          {`and ${total - objects.length} more (${total} objects in all)`}
        </div>
      )}
    </>
  );
}

/**
 * Each rule that passed on an entity's objects, with the objects; and the
 * passes the stored result counts without naming their rule.
 */
export function PassedRules(props: {
  rules: PassedRule[];
  unattributed: UnattributedPasses[];
  singleCluster?: boolean;
}) {
  const { rules, unattributed, singleCluster } = props;
  const columns: TableColumn<Row>[] = [
    {
      title: 'Rule',
      field: 'ruleId',
      render: row => (
        <>
          <Typography variant="body2" style={{ fontWeight: 700 }}>
            {row.ruleId}
          </Typography>
          <Typography variant="body2">{row.title}</Typography>
        </>
      ),
    },
    ...(singleCluster
      ? []
      : [{ title: 'Cluster', field: 'cluster' } as TableColumn<Row>]),
    {
      title: 'Category',
      field: 'category',
      render: row => categoryTitle(row.category),
    },
    {
      title: 'Severity',
      field: 'severity',
      render: row => <SeverityChip severity={row.severity} />,
    },
    {
      title: 'Passed on',
      field: 'total',
      render: row => <Objects rule={row} />,
    },
  ];
  return (
    <>
      <Table<Row>
        columns={columns}
        data={rules.map(r => ({ ...r, id: `${r.cluster}/${r.ruleId}` }))}
        options={{ ...SMALL_TABLE, toolbar: false }}
        localization={{
          body: { emptyDataSourceMessage: 'No rule passed.' },
        }}
      />
      {unattributed.length > 0 && (
        <ul data-testid="aks-baseline-passed-unattributed">
          {unattributed.map(u => (
            <li key={`${u.cluster}/${u.category}`}>
              <Typography variant="body2">
                {`${u.passed} more ${
                  u.passed === 1 ? 'check' : 'checks'
                } passed in ${categoryTitle(u.category)}${
                  singleCluster ? '' : ` on ${u.cluster}`
                }: the result counts them without telling which rules they were (other rules did not apply to those objects).`}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
