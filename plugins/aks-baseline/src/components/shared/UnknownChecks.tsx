import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  EntityScoreResponse,
  UnreadableKind,
} from '@aks-baseline/plugin-aks-baseline-common';

/** An unreadable kind, with the cluster it is on when that needs saying. */
export interface UnreadableKindOn extends UnreadableKind {
  cluster?: string;
}

/** The unreadable kinds of an entity's clusters (named when several). */
export function entityUnreadableKinds(
  score: EntityScoreResponse,
): UnreadableKindOn[] {
  const named = score.clusters.length > 1;
  return score.clusters.flatMap(c =>
    (c.unreadableKinds ?? []).map(k =>
      named ? { ...k, cluster: c.cluster } : k,
    ),
  );
}

function kindText(k: UnreadableKindOn): string {
  return `${k.cluster ? `${k.cluster}: ` : ''}${k.kind} could not be listed (${
    k.reason
  })`;
}

/**
 * How many checks could not be made, and why: never hidden behind a score,
 * which only counts what was checked.
 */
export function UnknownChecks(props: {
  unknown: number;
  kinds?: readonly UnreadableKindOn[];
}) {
  const { unknown } = props;
  const kinds = props.kinds ?? [];
  if (unknown === 0 && kinds.length === 0) return null;
  const head =
    unknown > 0
      ? `${unknown} check${unknown === 1 ? '' : 's'} could not be made`
      : `${kinds.length} kind${
          kinds.length === 1 ? '' : 's'
        } could not be listed`;
  return (
    <Alert
      severity="warning"
      variant="outlined"
      data-testid="aks-baseline-unknown"
      style={{ marginTop: 8, marginBottom: 8 }}
    >
      <Typography variant="body2" component="div">
        <strong>{head}</strong>
        {kinds.length === 1 ? `: ${kindText(kinds[0])}` : ''}
        {kinds.length === 0 ? ': see the findings marked Unknown' : ''}.
      </Typography>
      {kinds.length > 1 ? (
        <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
          {kinds.map(k => (
            <li key={`${k.cluster ?? ''}/${k.kind}`}>
              <Typography variant="body2">{kindText(k)}</Typography>
            </li>
          ))}
        </ul>
      ) : null}
      <Typography variant="caption" component="div">
        They are outside the score, which only counts what was checked.
      </Typography>
    </Alert>
  );
}
