import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResourceRef } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { FailingRule } from '../shared/findings';
import { resourceLabel } from '../shared/format';

/** Objects listed per page once the list is opened. */
const PAGE = 50;

/**
 * The objects a failing rule names: the first few the backend sent, and
 * "and N more", which opens the whole list a page at a time.
 */
export function RuleObjects(props: { cluster: string; rule: FailingRule }) {
  const { cluster, rule } = props;
  const api = useApi(aksBaselineApiRef);
  const [opened, setOpened] = useState<ResourceRef[] | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  const loadPage = async (after?: string) => {
    setLoading(true);
    try {
      const page = await api.getClusterFindings(cluster, {
        rule: [rule.ruleId],
        status: ['fail'],
        limit: PAGE,
        cursor: after,
      });
      setOpened(previous => [
        ...(after ? previous ?? [] : []),
        ...page.items.map(f => f.resource),
      ]);
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  const shown = opened ?? rule.resources;
  const more = rule.failures - shown.length;
  return (
    <>
      <Typography variant="caption" color="textSecondary" component="div">
        {shown.map(resourceLabel).join(', ')}
        {!opened && more > 0 ? (
          <>
            {' '}
            <Button
              size="small"
              color="primary"
              disabled={loading}
              onClick={() => loadPage()}
              style={{ padding: 0, minWidth: 0, textTransform: 'none' }}
            >
              and {more} more
            </Button>
          </>
        ) : null}
      </Typography>
      {opened && cursor ? (
        <Button
          size="small"
          color="primary"
          disabled={loading}
          onClick={() => loadPage(cursor)}
        >
          Show more ({Math.max(0, more)} left)
        </Button>
      ) : null}
      {error ? <ResponseErrorPanel error={error} /> : null}
    </>
  );
}
