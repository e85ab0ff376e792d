import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { Progress, Table, TableColumn } from '@backstage/core-components';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { PassedChecks as Passes } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { ServiceError } from './ServiceError';
import { categoryTitle } from './format';
import { PassedRules } from './PassedRules';
import { SMALL_TABLE } from './tableOptions';

/** Whose passed checks: a cluster's or an entity's. */
export type PassedChecksOf =
  | { cluster: string }
  | { entity: CompoundEntityRef };

type Row = Passes & { id: string };

/**
 * The checks that passed, shown beside the findings: an entity's rule by
 * rule with the objects each passed on, a cluster's (and an entity's
 * result stored before passes were kept) counted by cluster and category.
 */
export function PassedChecks(props: {
  of: PassedChecksOf;
  singleCluster?: boolean;
}) {
  const { of, singleCluster } = props;
  const api = useApi(aksBaselineApiRef);
  const key = 'cluster' in of ? of.cluster : JSON.stringify(of.entity);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const passed = useAsync(() => api.getPassedChecks(of), [api, key]);
  const columns: TableColumn<Row>[] = [
    ...(singleCluster
      ? []
      : [{ title: 'Cluster', field: 'cluster' } as TableColumn<Row>]),
    {
      title: 'Category',
      field: 'category',
      render: row => categoryTitle(row.category),
    },
    { title: 'Checks passed', field: 'passed', type: 'numeric' },
  ];
  let body;
  if (passed.loading) body = <Progress />;
  else if (passed.error) {
    body = <ServiceError error={passed.error} what="the passed checks" />;
  } else {
    const items = passed.value?.items ?? [];
    const rules = passed.value?.rules;
    body = rules ? (
      <PassedRules
        rules={rules}
        unattributed={passed.value?.unattributed ?? []}
        singleCluster={singleCluster}
      />
    ) : (
      <Table<Row>
        columns={columns}
        data={items.map(i => ({ ...i, id: `${i.cluster}/${i.category}` }))}
        options={{ ...SMALL_TABLE, toolbar: false }}
        localization={{ body: { emptyDataSourceMessage: 'No check passed.' } }}
      />
    );
  }
  return (
    <Box
      component="section"
      aria-labelledby="aks-baseline-passed-title"
      data-testid="aks-baseline-passed"
      px={2}
      pb={2}
    >
      <Typography
        id="aks-baseline-passed-title"
        variant="h6"
        component="h3"
        style={{ fontWeight: 700 }}
      >
        Passed checks
        {passed.value ? ` (${passed.value.total})` : ''}
      </Typography>
      <Typography variant="body2" color="textPrimary">
        {passed.value?.rules
          ? 'Each rule that passed, with the objects it passed on; every check that did not pass (failed, waived, unknown) is a finding above.'
          : 'Passes are counted by cluster and category; every check that did not pass is a finding above.'}
      </Typography>
      {body}
    </Box>
  );
}
