import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { Link } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** Where the full scoring page lives, if the portal says (`aksBaseline.scoringDocsUrl`). */
function useScoringDocsUrl(): string | undefined {
  const config = useApi(configApiRef);
  return config.getOptionalString('aksBaseline.scoringDocsUrl');
}

/**
 * "How is this scored?": the formula in a few lines (as docs/scoring.md
 * states it), and a link to the full page when the portal configures one.
 */
export function ScoringHelp() {
  const [open, setOpen] = useState(false);
  const docsUrl = useScoringDocsUrl();
  return (
    <>
      <Button
        size="small"
        color="primary"
        startIcon={<HelpOutlineIcon fontSize="small" />}
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
      >
        How is this scored?
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby="aks-baseline-scoring-title"
      >
        <DialogTitle id="aks-baseline-scoring-title">
          How is this scored?
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            Every rule checks every object it applies to. A check weighs by the
            rule's severity: critical 10, high 5, medium 2, low 1. The score is
            100 × the weight of passed checks ÷ the weight of passed and failed
            checks, rounded down. Waived, not applicable, manual checks and
            checks that could not be made count in neither; with nothing
            scorable there is no score.
          </Typography>
          <Typography variant="body2" paragraph>
            Grades: A from 90, B from 80, C from 70, D from 60, F below.
          </Typography>
          <Typography variant="body2" paragraph>
            Scores add up checks, they are never averaged: a team's score counts
            all the checks of its services, so it is not the mean of their
            scores, and a category's score counts only that category's checks,
            so a service can be A overall and F in one category.
          </Typography>
          {docsUrl ? (
            <Typography variant="body2">
              <Link to={docsUrl}>Read the scoring page</Link>
            </Typography>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} color="primary">
            Close
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
