import Typography from '@material-ui/core/Typography';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '../../conditions';

const KUBERNETES_DOCS =
  'https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity';

/**
 * Backstage's missing-annotation empty state for an entity without the
 * Kubernetes annotations the score is built from, with how to add them.
 * Either annotation will do, so the example shows the common one and the
 * other is named beside it (the empty state would ask for both).
 */
export function MissingAnnotations() {
  return (
    <div data-testid="aks-baseline-missing-annotation">
      <MissingAnnotationEmptyState
        annotation={KUBERNETES_ID_ANNOTATION}
        readMoreUrl={KUBERNETES_DOCS}
      />
      <Typography variant="body2" color="textSecondary">
        The AKS Baseline scores the Kubernetes objects the Kubernetes plugin
        shows for this entity. Instead of{' '}
        <code>{KUBERNETES_ID_ANNOTATION}</code> (the value of the objects'{' '}
        <code>{KUBERNETES_ID_ANNOTATION}</code> label),{' '}
        <code>{KUBERNETES_LABEL_SELECTOR_ANNOTATION}</code> can select them with
        a label selector.
      </Typography>
    </div>
  );
}
