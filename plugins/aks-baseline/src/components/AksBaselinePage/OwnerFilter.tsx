import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { shortRef } from '../shared/format';

const useStyles = makeStyles(theme => ({
  owner: { minWidth: 240 },
  // The theme's secondary text on the page background is below 4.5:1.
  label: { color: theme.palette.text.primary },
}));

/** The owner filter of the overview: every owner seen so far. */
export function OwnerFilter(props: {
  owner: string;
  owners: string[];
  onChange: (owner: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id="aks-baseline-owner-filter"
      select
      label="Owner"
      value={props.owner}
      onChange={e => props.onChange(e.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true, className: classes.label }}
      size="small"
      variant="outlined"
      className={classes.owner}
    >
      <option value="">All owners</option>
      {props.owners.map(o => (
        <option key={o} value={o}>
          {shortRef(o)}
        </option>
      ))}
    </TextField>
  );
}
