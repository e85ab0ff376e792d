import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  SupportButton,
} from '@backstage/core-components';
import { ServiceError } from '../shared/ServiceError';
import { ScoringHelp } from '../shared/ScoringHelp';
import { ClustersSection } from './ClustersSection';
import { EntitiesTable } from './EntitiesTable';
import { EvaluationsTable } from './EvaluationsTable';
import { FailingRulesTable } from './FailingRulesTable';
import { OwnerFilter } from './OwnerFilter';
import { OwnersTable } from './OwnersTable';
import { RunEvaluationButton } from './RunEvaluationButton';
import { useOverviewData } from './useOverviewData';

/** @public */
export interface AksBaselinePageProps {
  title?: string;
  subtitle?: string;
}

/**
 * The AKS Baseline page for platform teams.
 *
 * @public
 */
export function AksBaselinePage(props: AksBaselinePageProps) {
  const {
    title = 'AKS Baseline',
    subtitle = 'How our AKS clusters and the services on them measure up to the baseline',
  } = props;
  const data = useOverviewData();
  const { overview, owner } = data;

  let body;
  if (overview.loading && !overview.value) {
    body = <Progress />;
  } else if (overview.error) {
    body = (
      <ServiceError
        error={overview.error}
        retry={overview.retry}
        what="the overview"
      />
    );
  } else if (overview.value) {
    const value = overview.value;
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <ClustersSection
            clusters={value.clusters}
            runState={data.runState}
            evaluating={data.evaluating}
          />
        </Grid>
        <Grid item xs={12} lg={5}>
          <OwnersTable overview={value} owner={owner} />
        </Grid>
        <Grid item xs={12} lg={7}>
          <FailingRulesTable overview={value} owner={owner} />
        </Grid>
        <Grid item xs={12}>
          <EntitiesTable overview={value} />
        </Grid>
        <Grid item xs={12}>
          <EvaluationsTable
            runs={data.runs}
            evaluating={data.evaluating.size > 0}
          />
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header title={title} subtitle={subtitle} />
      <Content>
        <ContentHeader title="Platform overview">
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 16 }}
          >
            <OwnerFilter
              owner={owner}
              owners={data.knownOwners}
              onChange={data.setOwner}
            />
            <RunEvaluationButton state={data.runState} />
            <ScoringHelp />
            <SupportButton>
              Scores come from the AKS Baseline backend, which evaluates every
              configured cluster on a schedule. A grade is A (90+) to F (below
              60); colour repeats the grade, it never replaces it.
            </SupportButton>
          </Box>
        </ContentHeader>
        <div data-testid="aks-baseline-overview">{body}</div>
      </Content>
    </Page>
  );
}
