import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { shortRef } from '../shared/format';

const useStyles = makeStyles({
  owner: { minWidth: 240 },
});

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
      InputLabelProps={{ shrink: true }}
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
