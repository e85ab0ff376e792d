import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { InfoCard, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityScoreSummary } from '@aks-baseline/plugin-aks-baseline-common';
import { aksBaselineApiRef } from '../../api';
import { ServiceError } from '../shared/ServiceError';
import { Score } from '../AksBaselinePage/Score';

/** @public */
export interface AksBaselineTeamsCardProps {
  title?: string;
  /** How many services are listed, lowest score first. Default 10. */
  max?: number;
}

/** The user's teams' scored entities, each once, lowest score first. */
async function teamsEntities(
  ownership: string[],
  rollup: (owner: string) => Promise<{ entities: EntityScoreSummary[] }>,
): Promise<{ teams: string[]; entities: EntityScoreSummary[] }> {
  const teams = ownership.filter(
    ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
  );
  const answers = await Promise.all(teams.map(rollup));
  const byRef = new Map<string, EntityScoreSummary>();
  for (const answer of answers) {
    for (const e of answer.entities) byRef.set(e.entityRef, e);
  }
  const entities = [...byRef.values()].sort(
    (a, b) =>
      (a.score ?? Infinity) - (b.score ?? Infinity) ||
      a.entityRef.localeCompare(b.entityRef),
  );
  return { teams, entities };
}

/** The card's default title. */
export const TEAMS_CARD_TITLE = "Your teams' services by AKS Baseline score";

/**
 * The card's content without its frame: the home page's widget (new
 * frontend system) draws the frame and title itself.
 */
export function AksBaselineTeamsContent(props: { max?: number }) {
  const { max = 10 } = props;
  const api = useApi(aksBaselineApiRef);
  const identityApi = useApi(identityApiRef);
  const state = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    return teamsEntities(identity.ownershipEntityRefs, owner =>
      api.getRollup({ owner }),
    );
  }, [api, identityApi]);

  let body;
  if (state.loading) body = <Progress />;
  else if (state.error) {
    body = <ServiceError error={state.error} what="your teams' scores" />;
  } else if (!state.value?.teams.length) {
    body = (
      <Typography variant="body2">
        You are not a member of a team in the catalog.
      </Typography>
    );
  } else if (!state.value.entities.length) {
    body = (
      <Typography variant="body2">
        Your teams have no evaluated service yet.
      </Typography>
    );
  } else {
    const { entities } = state.value;
    body = (
      <>
        <List dense aria-label="Services by score, lowest first">
          {entities.slice(0, max).map(e => (
            <ListItem key={e.entityRef} disableGutters divider>
              <Box
                display="flex"
                alignItems="center"
                justifyContent="space-between"
                width="100%"
                style={{ gap: 16 }}
              >
                <EntityRefLink entityRef={e.entityRef} />
                <Score score={e.score} grade={e.grade} />
              </Box>
            </ListItem>
          ))}
        </List>
        {entities.length > max ? (
          <Typography variant="body2">
            The {max} lowest of {entities.length}.
          </Typography>
        ) : null}
      </>
    );
  }
  return <div data-testid="aks-baseline-teams-card">{body}</div>;
}

/**
 * A homepage card: the services of the user's teams by AKS Baseline score,
 * lowest first, so that what needs work is on top.
 *
 * @public
 */
export function AksBaselineTeamsCard(props: AksBaselineTeamsCardProps) {
  const { title = TEAMS_CARD_TITLE, max } = props;
  return (
    <InfoCard title={title} titleTypographyProps={{ component: 'h2' }}>
      <AksBaselineTeamsContent max={max} />
    </InfoCard>
  );
}
