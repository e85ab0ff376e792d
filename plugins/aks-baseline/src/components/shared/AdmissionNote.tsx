import Typography from '@material-ui/core/Typography';
import type { FindingAdmission } from '@aks-baseline/plugin-aks-baseline-common';

/** What the cluster does with such an object when it is next applied. */
const EFFECT: Record<FindingAdmission['effect'], string> = {
  deny: 'refuses such an object at admission',
  mutate: 'changes such an object at admission',
  warn: 'admits such an object with a warning',
};

/**
 * What the cluster's Deployment Safeguards (or Pod Security admission) do
 * with the object of a finding. The finding stays: objects admitted before
 * remain, and a warning changes nothing.
 */
export function admissionText(admission: FindingAdmission): string {
  const why =
    admission.effect === 'warn'
      ? 'a warning changes nothing'
      : 'objects admitted before remain';
  return `${admission.by} (${admission.policy}) on this cluster ${
    EFFECT[admission.effect]
  }. The finding stays: ${why}.`;
}

export function AdmissionNote(props: { admission: FindingAdmission }) {
  return (
    <Typography variant="body2" data-testid="aks-baseline-finding-admission">
      {admissionText(props.admission)}
    </Typography>
  );
}
