import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FixSuggestion } from '@aks-baseline/plugin-aks-baseline-common';
import { CopyableText } from './CopyableText';
import { fixBlocks } from './fixText';

/**
 * A finding's own fix, worked out by its rule for this object: the change
 * to copy (YAML, kubectl or az command), and, when it is an example to
 * adapt, what the team must fill in first.
 */
export function FixDetails(props: { fix: FixSuggestion }) {
  const { fix } = props;
  if (fix.kind === 'manual') {
    return (
      <Typography variant="body2" data-testid="aks-baseline-fix-manual">
        No change can be made for you: {fix.reason}
      </Typography>
    );
  }
  const blocks = fixBlocks(fix);
  const marked = blocks.some(b => /<[^<>\n]+>/.test(b.text));
  return (
    <div data-testid="aks-baseline-fix">
      <Typography variant="body2">{fix.summary}</Typography>
      {fix.adapt ? (
        <Alert severity="info" data-testid="aks-baseline-fix-adapt">
          <strong>An example to adapt, not to apply as is.</strong> {fix.adapt}
          {marked ? (
            <div>
              Replace each value in angle brackets (<code>&lt;...&gt;</code>)
              with your own.
            </div>
          ) : null}
        </Alert>
      ) : null}
      {blocks.map(block => (
        <CopyableText key={block.testId} {...block} />
      ))}
    </div>
  );
}
