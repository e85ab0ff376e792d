import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  CategoryScore,
  gradeOf,
} from '@aks-baseline/plugin-aks-baseline-common';
import { gradeSwatch } from './palette';
import { categoryTitle } from './format';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(96px, max-content) minmax(64px, 1fr) 4em',
    alignItems: 'center',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(1),
  },
  dense: {
    rowGap: theme.spacing(0.5),
  },
  label: {
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  track: {
    height: 8,
    borderRadius: 4,
    backgroundColor: theme.palette.action.selected,
  },
  value: {
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
  },
}));

/**
 * A score of 0 still fills this much of its bar, in the failing grade's
 * colour: an empty bar would read as "no data".
 */
const ZERO_STUB = 3;

const useFillStyles = makeStyles({
  fill: (props: { color: string }) => ({
    backgroundColor: props.color,
    borderRadius: 4,
  }),
});

function Bar(props: {
  value: number;
  /** The value read out, when the bar draws more (the stub of a 0). */
  valueNow?: number;
  color: string;
  label: string;
}) {
  const classes = useStyles();
  const fill = useFillStyles({ color: props.color });
  return (
    <LinearProgress
      variant="determinate"
      value={props.value}
      className={classes.track}
      classes={{ bar: fill.fill }}
      aria-label={props.label}
      aria-valuenow={props.valueNow ?? Math.round(props.value)}
    />
  );
}

/**
 * One line on why a category's grade differs from the whole's ("A overall,
 * F in Networking"), naming the lowest category; nothing when none differs.
 */
function GradeGap(props: { categories: CategoryScore[]; overall: number }) {
  const overallGrade = gradeOf(props.overall);
  const lowest = props.categories
    .filter(c => c.score !== null)
    .sort((a, b) => a.score! - b.score!)[0];
  if (!lowest || gradeOf(lowest.score) === overallGrade) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="p"
      // The list is a grid: the line spans its columns.
      style={{ gridColumn: '1 / -1' }}
      data-testid="aks-baseline-grade-gap"
    >
      {categoryTitle(lowest.category)} is {gradeOf(lowest.score)} while the
      whole is {overallGrade}: a category's score counts only its own checks.
    </Typography>
  );
}

/** One bar per category that had checks: score, grade letter, failures. */
export function CategoryBars(props: {
  categories: CategoryScore[];
  dense?: boolean;
  /** The overall score: a category graded otherwise gets a line on why. */
  overall?: number | null;
}) {
  const { categories, dense, overall } = props;
  const classes = useStyles();
  const theme = useTheme();
  if (categories.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No category had a scorable check.
      </Typography>
    );
  }
  return (
    <Box
      className={`${classes.list} ${dense ? classes.dense : ''}`}
      data-testid="aks-baseline-categories"
    >
      {categories.map(c => {
        const title = categoryTitle(c.category);
        const grade = gradeOf(c.score);
        const detail = `${c.passed} passed, ${c.failed} failed${
          c.waived ? `, ${c.waived} waived` : ''
        }${c.unknown ? `, ${c.unknown} unknown` : ''}`;
        return (
          <Box key={c.category} display="contents">
            <Typography variant="body2" className={classes.label}>
              {title}
            </Typography>
            <Tooltip title={detail} placement="top">
              <div>
                <Bar
                  value={c.score === null ? 0 : Math.max(c.score, ZERO_STUB)}
                  valueNow={c.score ?? 0}
                  color={gradeSwatch(theme, grade).background}
                  label={
                    c.score === null
                      ? `${title}: no score`
                      : `${title}: ${c.score} out of 100, grade ${grade}`
                  }
                />
              </div>
            </Tooltip>
            <Typography variant="body2" className={classes.value}>
              {c.score === null ? 'n/a' : `${c.score} · ${grade}`}
            </Typography>
          </Box>
        );
      })}
      {overall === undefined || overall === null ? null : (
        <GradeGap categories={categories} overall={overall} />
      )}
    </Box>
  );
}
