import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CodeSnippet } from '@backstage/core-components';
import {
  BASELINE_ITEMS,
  Finding,
  RuleInfo,
} from '@aks-baseline/plugin-aks-baseline-common';
import { AdmissionNote } from './AdmissionNote';
import { evidenceValue, resourceLabel } from './format';
import { FixDetails } from './FixDetails';
import { useOptionalEntity } from './useOptionalEntity';
import { CurrentWaiver, WaiverOffer } from './WaiverDetails';
import { ownerOf } from './waiverText';

const useStyles = makeStyles(theme => ({
  root: {
    padding: theme.spacing(2, 3, 3, 3),
    // Paper, not the page's grey: secondary text keeps 4.5:1 on it.
    backgroundColor: theme.palette.background.paper,
    borderLeft: `4px solid ${theme.palette.divider}`,
  },
  // Primary text: the theme's secondary grey misses 4.5:1 on a grey row.
  note: { color: theme.palette.text.primary, display: 'block' },
  heading: {
    fontWeight: 600,
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(0.5),
    '&:first-child': { marginTop: 0 },
  },
  evidence: {
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.body2.fontSize,
    '& th, & td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
    '& th': {
      fontWeight: 600,
      color: theme.palette.text.secondary,
    },
    '& code': {
      fontFamily: 'monospace',
      wordBreak: 'break-all',
    },
  },
  snippet: {
    marginTop: theme.spacing(1),
  },
}));

/*
 * Fixes are shown as plain text: the light theme's syntax colours (strings in
 * #219161 on #f8f8ff) fall below the 4.5:1 contrast WCAG asks of body text.
 */
const SNIPPET_LANGUAGE = 'text';

/**
 * Everything about one finding: what was found and where, why it matters,
 * its own fix to copy (else the rule's remediation), its waiver or the one
 * to write for it, and the baseline item it implements.
 */
export function FindingDetails(props: {
  finding: Finding;
  rule?: RuleInfo;
  /** Today, for a waiver's expiry (tests). */
  now?: Date;
}) {
  const { finding, rule, now } = props;
  const classes = useStyles();
  // The waiver's owner: the entity whose page this is (a service, a cluster).
  const owner = ownerOf(useOptionalEntity());
  const item = BASELINE_ITEMS.find(i => i.key === finding.baselineRef);
  const evidence = finding.evidence ?? [];
  const remediation = rule?.remediation;
  return (
    <Box className={classes.root} data-testid="aks-baseline-finding-details">
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            What was found
          </Typography>
          <Typography variant="body2">{finding.message}</Typography>
          <Typography variant="caption" className={classes.note}>
            {resourceLabel(finding.resource)}
            {finding.cluster ? ` on ${finding.cluster}` : ''}
          </Typography>

          {finding.admission ? (
            <>
              <Typography
                variant="subtitle2"
                component="h4"
                className={classes.heading}
              >
                At admission
              </Typography>
              <AdmissionNote admission={finding.admission} />
            </>
          ) : null}

          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            Evidence
          </Typography>
          {evidence.length ? (
            <table className={classes.evidence} aria-label="Evidence">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Value found</th>
                  <th scope="col">Expected</th>
                </tr>
              </thead>
              <tbody>
                {evidence.map((e, i) => (
                  <tr key={`${e.path}-${i}`}>
                    <td>
                      <code>{e.path}</code>
                    </td>
                    <td>
                      <code>{evidenceValue(e.value)}</code>
                    </td>
                    <td>{e.expected ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Typography variant="body2" color="textSecondary">
              No evidence recorded for this check.
            </Typography>
          )}

          {rule?.rationale ? (
            <>
              <Typography
                variant="subtitle2"
                component="h4"
                className={classes.heading}
              >
                Why it matters
              </Typography>
              <Typography variant="body2">{rule.rationale}</Typography>
            </>
          ) : null}

          {finding.waiver ? (
            <>
              <Typography
                variant="subtitle2"
                component="h4"
                className={classes.heading}
              >
                Waiver
              </Typography>
              <CurrentWaiver waiver={finding.waiver} />
            </>
          ) : null}
          {finding.status === 'fail' ? (
            <>
              <Typography
                variant="subtitle2"
                component="h4"
                className={classes.heading}
              >
                Waive this finding
              </Typography>
              <WaiverOffer finding={finding} owner={owner} now={now} />
            </>
          ) : null}
        </Grid>

        <Grid item xs={12} md={6}>
          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            How to fix
          </Typography>
          <Typography variant="body2">
            {remediation?.summary ??
              'The rule catalog could not be loaded; see the message on the left.'}
          </Typography>
          {finding.fix ? (
            <>
              <Typography
                variant="subtitle2"
                component="h4"
                className={classes.heading}
              >
                For {resourceLabel(finding.resource)}
              </Typography>
              <FixDetails fix={finding.fix} />
            </>
          ) : (
            <>
              {remediation?.command ? (
                <Box
                  className={classes.snippet}
                  data-testid="aks-baseline-fix-command"
                >
                  <CodeSnippet
                    text={remediation.command}
                    language={SNIPPET_LANGUAGE}
                    showCopyCodeButton
                  />
                </Box>
              ) : null}
              {remediation?.snippet ? (
                <Box
                  className={classes.snippet}
                  data-testid="aks-baseline-fix-snippet"
                >
                  <CodeSnippet
                    text={remediation.snippet}
                    language={SNIPPET_LANGUAGE}
                    showCopyCodeButton
                  />
                </Box>
              ) : null}
            </>
          )}

          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            Baseline
          </Typography>
          <Typography variant="body2" data-testid="aks-baseline-baseline-key">
            <strong>{finding.baselineRef}</strong>
            {item ? ` — ${item.title.replace(/`/g, '')}` : ''}
          </Typography>
          <Typography variant="caption" className={classes.note}>
            Rule <code>{finding.ruleId}</code>
            {rule?.scope ? ` · checked per ${rule.scope}` : ''}
          </Typography>
        </Grid>
      </Grid>
    </Box>
  );
}
