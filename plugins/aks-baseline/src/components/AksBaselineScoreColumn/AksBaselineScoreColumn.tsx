import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { TableColumn } from '@backstage/core-components';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import { aksBaselineApiRef } from '../../api';
import { isAksBaselineAvailable } from '../../conditions';
import { Score } from '../AksBaselinePage/Score';

/**
 * An entity's AKS Baseline score in a table cell: grade and number, "–"
 * while there is none (not annotated, not evaluated, not visible to the
 * user), and "?" when the service cannot say.
 *
 * @public
 */
export function EntityAksBaselineScore(props: { entity: Entity }) {
  const { entity } = props;
  const api = useApi(aksBaselineApiRef);
  const available = isAksBaselineAvailable(entity);
  const ref = getCompoundEntityRef(entity);
  const key = `${ref.kind}:${ref.namespace}/${ref.name}`;
  const result = useAsync(
    async () => (available ? api.getEntityScore(ref) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key, available],
  );
  if (result.loading) return null;
  if (result.error) {
    return (
      <Typography
        variant="body2"
        title={`The AKS Baseline score could not be read: ${result.error.message}`}
      >
        ?
      </Typography>
    );
  }
  const value = result.value;
  if (!value?.evaluated) {
    return (
      <Typography
        variant="body2"
        aria-label={
          available ? 'Not evaluated yet' : 'No Kubernetes annotations'
        }
      >
        –
      </Typography>
    );
  }
  return <Score score={value.score.score} grade={value.score.grade} />;
}

/**
 * A column of AKS Baseline scores for the catalog table (or any table of
 * rows with an `entity`): each row asks for its entity's score.
 *
 * @public
 */
export function createAksBaselineScoreColumn<T extends { entity: Entity }>(
  options: { title?: string } = {},
): TableColumn<T> {
  return {
    title: options.title ?? 'AKS Baseline',
    sorting: false,
    width: '120px',
    render: row => <EntityAksBaselineScore entity={row.entity} />,
  };
}
