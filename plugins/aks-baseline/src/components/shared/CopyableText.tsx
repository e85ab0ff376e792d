import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CopyTextButton } from '@backstage/core-components';

/*
 * Plain text, not a highlighted snippet: the light theme's syntax colours
 * fall below the 4.5:1 contrast WCAG asks of body text.
 */
const useStyles = makeStyles(theme => ({
  block: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(1, 1, 1, 1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
  },
  text: {
    flex: 1,
    margin: 0,
    overflowX: 'auto',
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    color: theme.palette.text.primary,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-all',
  },
  title: { color: theme.palette.text.primary, display: 'block' },
}));

/** A titled block of text with a copy button named for what it copies. */
export function CopyableText(props: {
  title: string;
  text: string;
  copyLabel: string;
  testId?: string;
}) {
  const classes = useStyles();
  return (
    <Box mt={1.5} data-testid={props.testId}>
      <Typography variant="caption" className={classes.title}>
        {props.title}
      </Typography>
      <div className={classes.block}>
        <pre className={classes.text}>{props.text}</pre>
        <CopyTextButton text={props.text} aria-label={props.copyLabel} />
      </div>
    </Box>
  );
}
