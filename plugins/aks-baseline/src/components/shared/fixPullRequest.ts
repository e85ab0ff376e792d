/*
 * When an entity can get a fix pull request from the aks-baseline-fix-pr
 * template (templates/aks-baseline-fix-pr), and the form data that opens
 * the template filled in for it.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/** The template that fetches the manifests, fixes them and opens the PR. */
export const FIX_PR_TEMPLATE = {
  namespace: 'default',
  templateName: 'aks-baseline-fix-pr',
};

/** The repository root (`url:https://github.com/org/repo/tree/main/`). */
export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';
/** The manifests' folder in that repository (`deploy/k8s`). */
export const MANIFESTS_PATH_ANNOTATION = 'aks-baseline.io/manifests-path';

/**
 * Whether the template can fix this entity's manifests: a Component (what
 * the template picks) whose source location is a URL and which names the
 * manifests' folder.
 */
export function canOpenFixPullRequest(entity: Entity | undefined): boolean {
  const annotations = entity?.metadata.annotations ?? {};
  return (
    entity?.kind.toLocaleLowerCase('en-US') === 'component' &&
    /^url:https?:\/\//.test(annotations[SOURCE_LOCATION_ANNOTATION] ?? '') &&
    (annotations[MANIFESTS_PATH_ANNOTATION] ?? '').trim() !== ''
  );
}

/** `?formData=...`: the template's form, filled in for the entity. */
export function fixPullRequestQuery(entity: Entity): string {
  // The template reads the manifests' path from the annotation itself.
  const formData = { entity: stringifyEntityRef(entity) };
  return `?formData=${encodeURIComponent(JSON.stringify(formData))}`;
}
