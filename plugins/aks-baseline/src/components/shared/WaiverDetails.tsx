import { useMemo } from 'react';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { Finding, Waiver } from '@aks-baseline/plugin-aks-baseline-common';
import { absoluteTime, resourceLabel, shortRef } from './format';
import { CopyableText } from './CopyableText';
import {
  canAnnotate,
  expiryDate,
  WAIVER_DAYS,
  waiverAnnotation,
  waiverConfigEntry,
} from './waiverText';

/** The waiver a finding has: why, who, until. */
export function CurrentWaiver(props: { waiver: Waiver }) {
  const { waiver } = props;
  return (
    <Alert
      severity={waiver.expired ? 'warning' : 'info'}
      data-testid="aks-baseline-waiver"
    >
      <div>
        <strong>Why:</strong> {waiver.reason}
      </div>
      <div>
        <strong>Who:</strong>{' '}
        {waiver.owner ? shortRef(waiver.owner) : 'not recorded'} (
        {waiver.source === 'annotation'
          ? 'annotation on the object'
          : 'plugin configuration'}
        )
      </div>
      <div>
        <strong>Until:</strong>{' '}
        {waiver.expires
          ? `${absoluteTime(waiver.expires)}${
              waiver.expired
                ? ' — expired, the check counts as failing again'
                : ''
            }`
          : 'no expiry'}
      </div>
    </Alert>
  );
}

/**
 * The waiver of exactly this failure, prefilled (rule, the object, the
 * owner, an expiry 90 days out), as the object's annotation and as the
 * configuration entry; the team writes the reason.
 */
export function WaiverOffer(props: {
  finding: Finding;
  owner?: string;
  /** Today, for the expiry (tests). */
  now?: Date;
}) {
  const { finding, owner, now } = props;
  const draft = useMemo(
    () => ({ owner, expires: expiryDate(now ?? new Date()) }),
    [owner, now],
  );
  return (
    <div data-testid="aks-baseline-waiver-offer">
      <Typography variant="body2">
        To accept this failure for a while, write why (the reason in angle
        brackets) and add one of these; the waiver lasts {WAIVER_DAYS} days
        {owner ? '' : ' (fill in its owner)'}. The finding then shows as waived
        and leaves the score.
      </Typography>
      {canAnnotate(finding) ? (
        <CopyableText
          title={`On the object: in the metadata of ${resourceLabel(
            finding.resource,
          )} (not its pod template)`}
          text={waiverAnnotation(finding, draft)}
          copyLabel="Copy the waiver annotation"
          testId="aks-baseline-waiver-annotation"
        />
      ) : null}
      <CopyableText
        title={`${
          canAnnotate(finding) ? 'Or in' : 'In'
        } the portal's configuration (app-config.yaml)`}
        text={waiverConfigEntry(finding, draft)}
        copyLabel="Copy the waiver configuration entry"
        testId="aks-baseline-waiver-config"
      />
    </div>
  );
}
