import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { Link as RouterLink } from 'react-router-dom';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { scaffolderTemplateRouteRef } from '../../routes';
import {
  canOpenFixPullRequest,
  FIX_PR_TEMPLATE,
  fixPullRequestQuery,
} from './fixPullRequest';

/**
 * "Open a fix pull request": the scaffolder's aks-baseline-fix-pr template,
 * filled in for the entity, which applies the safe fixes to its manifests
 * and opens the pull request (a dry run in the template editor shows the
 * diff). Shown only when the entity names its repository and manifests'
 * path and the app has the scaffolder.
 */
export function FixPullRequestButton(props: { entity: Entity }) {
  const { entity } = props;
  const templateRoute = useRouteRef(scaffolderTemplateRouteRef);
  if (!templateRoute || !canOpenFixPullRequest(entity)) return null;
  return (
    <Box mb={2}>
      <Button
        component={RouterLink}
        to={`${templateRoute(FIX_PR_TEMPLATE)}${fixPullRequestQuery(entity)}`}
        variant="outlined"
        color="primary"
        data-testid="aks-baseline-fix-pr"
      >
        Open a fix pull request
      </Button>
    </Box>
  );
}
