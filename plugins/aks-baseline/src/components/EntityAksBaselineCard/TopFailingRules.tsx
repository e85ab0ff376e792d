import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { EntityScoreResponse } from '@aks-baseline/plugin-aks-baseline-common';
import { RuleIndex } from '../../hooks';
import { SeverityChip } from '../shared/Chips';
import { failingRules } from '../shared/findings';
import { resourceLabel } from '../shared/format';

const useStyles = makeStyles(theme => ({
  ruleItem: {
    display: 'grid',
    gridTemplateColumns: '5.5em 1fr',
    columnGap: theme.spacing(1.5),
    alignItems: 'start',
    paddingLeft: 0,
    paddingRight: 0,
  },
  ruleTitle: {
    fontWeight: 600,
  },
  ruleKey: {
    color: theme.palette.text.secondary,
    fontWeight: 400,
    marginLeft: theme.spacing(1),
    whiteSpace: 'nowrap',
  },
  fix: {
    display: 'block',
    marginTop: 2,
  },
  allPassing: {
    padding: theme.spacing(1.5, 0),
  },
}));

/**
 * The entity's costliest failing rules, each with its first object and fix;
 * with `findingsLink`, a rule's title opens the findings of that rule.
 */
export function TopFailingRules(props: {
  score: EntityScoreResponse;
  rules: RuleIndex;
  max: number;
  findingsLink?: (ruleId: string) => string;
}) {
  const { findingsLink } = props;
  const classes = useStyles();
  const top = useMemo(
    () => failingRules(props.score.failingRules, props.rules),
    [props.score.failingRules, props.rules],
  );
  if (top.length === 0) {
    return (
      <Typography
        variant="body2"
        className={classes.allPassing}
        data-testid="aks-baseline-top-rules"
      >
        No failing checks. Every evaluated rule passes, is waived or does not
        apply.
      </Typography>
    );
  }
  return (
    <List
      dense
      disablePadding
      aria-label="Top failing rules"
      data-testid="aks-baseline-top-rules"
    >
      {top.slice(0, props.max).map(rule => {
        const [first] = rule.resources;
        const more = rule.failures - 1;
        return (
          <ListItem key={rule.ruleId} className={classes.ruleItem} divider>
            <Box pt={0.25}>
              <SeverityChip severity={rule.severity} />
            </Box>
            <Box minWidth={0}>
              <Typography variant="body2" className={classes.ruleTitle}>
                {findingsLink ? (
                  <Link
                    to={findingsLink(rule.ruleId)}
                    title={`Show the findings of ${rule.baselineRef}`}
                  >
                    {rule.title}
                  </Link>
                ) : (
                  rule.title
                )}
                <span className={classes.ruleKey}>{rule.baselineRef}</span>
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {first ? resourceLabel(first) : rule.baselineRef}
                {first && more > 0 ? ` and ${more} more` : ''}
                {rule.clusters.length ? ` · ${rule.clusters.join(', ')}` : ''}
              </Typography>
              <Typography variant="caption" className={classes.fix}>
                <strong>Fix:</strong> {rule.fix}
              </Typography>
            </Box>
          </ListItem>
        );
      })}
      {top.length > props.max ? (
        <ListItem className={classes.ruleItem}>
          <span />
          <Typography variant="caption" color="textSecondary">
            and {top.length - props.max} more failing rules
          </Typography>
        </ListItem>
      ) : null}
    </List>
  );
}
