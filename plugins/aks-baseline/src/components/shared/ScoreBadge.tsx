import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { Grade } from '@aks-baseline/plugin-aks-baseline-common';
import { gradeSwatch } from './palette';
import { GRADE_WORDS } from './format';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  badge: {
    flex: '0 0 auto',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    borderRadius: theme.shape.borderRadius * 2,
    fontWeight: 700,
    lineHeight: 1,
    boxShadow: theme.shadows[1],
  },
  large: { width: 72, height: 72, fontSize: 40 },
  small: { width: 40, height: 40, fontSize: 22 },
  score: {
    fontWeight: 700,
    lineHeight: 1,
  },
  outOf: {
    marginLeft: theme.spacing(0.5),
    color: theme.palette.text.secondary,
    fontWeight: 400,
  },
}));

/** A grade in its colour: the letter is always there, colour only adds to it. */
export function GradeLetter(props: {
  grade: Grade | null;
  size?: 'large' | 'small';
}) {
  const { grade, size = 'small' } = props;
  const classes = useStyles();
  const theme = useTheme();
  const swatch = gradeSwatch(theme, grade);
  return (
    <Box
      className={`${classes.badge} ${classes[size]}`}
      style={{ backgroundColor: swatch.background, color: swatch.text }}
      aria-label={grade ? `Grade ${grade}` : 'No grade'}
      role="img"
      data-testid="aks-baseline-grade"
    >
      <span aria-hidden="true">{grade ?? '–'}</span>
    </Box>
  );
}

/**
 * The overall score: the grade letter on its colour, the score out of 100
 * and the grade in words.
 */
export function ScoreBadge(props: {
  score: number | null;
  grade: Grade | null;
  size?: 'large' | 'small';
  caption?: string;
}) {
  const { score, grade, size = 'large', caption } = props;
  const classes = useStyles();
  return (
    <Box className={classes.root}>
      <GradeLetter grade={grade} size={size} />
      <Box>
        <Typography
          variant={size === 'large' ? 'h3' : 'h5'}
          component="p"
          className={classes.score}
        >
          <span data-testid="aks-baseline-score">
            {score === null ? '–' : score}
          </span>
          <Typography
            component="span"
            variant={size === 'large' ? 'h6' : 'body2'}
            className={classes.outOf}
          >
            / 100
          </Typography>
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {grade ? `Grade ${grade} · ${GRADE_WORDS[grade]}` : 'No score yet'}
          {caption ? ` · ${caption}` : ''}
        </Typography>
      </Box>
    </Box>
  );
}
