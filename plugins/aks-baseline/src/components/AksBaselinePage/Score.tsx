import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { OwnerScore } from '@aks-baseline/plugin-aks-baseline-common';
import { GradeLetter } from '../shared/ScoreBadge';
import { SEVERITY_TITLES } from '../shared/format';

const useStyles = makeStyles(theme => ({
  score: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  number: {
    fontWeight: 600,
    fontVariantNumeric: 'tabular-nums',
  },
}));

/** A score in a table cell: grade letter and number. */
export function Score(props: {
  score: number | null;
  grade: OwnerScore['grade'];
}) {
  const classes = useStyles();
  return (
    <Box className={classes.score}>
      <GradeLetter grade={props.grade} />
      <Typography variant="body1" className={classes.number}>
        {props.score ?? '–'}
      </Typography>
    </Box>
  );
}

/** "2 critical · 1 high", or "none". */
export function failingText(counts: OwnerScore['counts']): string {
  const parts = (['critical', 'high', 'medium', 'low'] as const)
    .filter(s => counts.failing[s])
    .map(
      s =>
        `${counts.failing[s]} ${SEVERITY_TITLES[s].toLocaleLowerCase('en-US')}`,
    );
  return parts.length ? parts.join(' · ') : 'none';
}
