import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  FindingStatus,
  SEVERITIES,
  Severity,
  SeverityCounts as Counts,
} from '@aks-baseline/plugin-aks-baseline-common';
import { gradeSwatch, severitySwatch } from './palette';
import { SEVERITY_TITLES, STATUS_TITLES } from './format';

const useStyles = makeStyles(theme => ({
  chip: {
    fontWeight: 600,
    height: 22,
  },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: 0,
    padding: 0,
    listStyle: 'none',
  },
  count: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    minWidth: 56,
    padding: theme.spacing(0.75, 0.75),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
  },
  countNumber: {
    fontWeight: 700,
    fontSize: '1.25rem',
    lineHeight: 1.2,
    fontVariantNumeric: 'tabular-nums',
  },
  zero: {
    color: theme.palette.text.secondary,
  },
}));

/** A severity as a filled chip: its name in text, its colour on top. */
export function SeverityChip(props: { severity: Severity }) {
  const classes = useStyles();
  const theme = useTheme();
  const swatch = severitySwatch(theme, props.severity);
  return (
    <Chip
      size="small"
      label={SEVERITY_TITLES[props.severity]}
      className={classes.chip}
      style={{ backgroundColor: swatch.background, color: swatch.text }}
    />
  );
}

/** A finding's status in words; only a failure is filled. */
export function StatusChip(props: {
  status: FindingStatus;
  expired?: boolean;
}) {
  const classes = useStyles();
  const theme = useTheme();
  const { status, expired } = props;
  const label =
    status === 'fail' && expired
      ? 'Failing (waiver expired)'
      : STATUS_TITLES[status];
  if (status === 'fail') {
    const swatch = gradeSwatch(theme, 'F');
    return (
      <Chip
        size="small"
        label={label}
        className={classes.chip}
        style={{ backgroundColor: swatch.background, color: swatch.text }}
      />
    );
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      label={label}
      className={classes.chip}
    />
  );
}

/**
 * Failing checks counted by severity: number and name always shown, the
 * number coloured when it is not zero.
 */
export function SeverityCounts(props: { counts: Counts; compact?: boolean }) {
  const classes = useStyles();
  const theme = useTheme();
  return (
    <Box
      component="ul"
      className={classes.counts}
      aria-label="Failing checks by severity"
      data-testid="aks-baseline-severity-counts"
    >
      {SEVERITIES.map(severity => {
        const n = props.counts[severity] ?? 0;
        const swatch = severitySwatch(theme, severity);
        return (
          <li
            key={severity}
            className={classes.count}
            style={n ? { borderColor: swatch.background } : undefined}
            data-testid={`aks-baseline-count-${severity}`}
          >
            <span
              className={`${classes.countNumber} ${n ? '' : classes.zero}`}
              style={
                n && theme.palette.type !== 'dark'
                  ? { color: swatch.background }
                  : undefined
              }
            >
              {n}
            </span>
            <Typography variant="caption" color="textSecondary">
              {SEVERITY_TITLES[severity].toLocaleLowerCase('en-US')}
            </Typography>
          </li>
        );
      })}
    </Box>
  );
}
