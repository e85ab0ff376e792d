/*
 * Images (IM-01..IM-05): pinned references, pull policy, allowed
 * registries, and the Trivy Operator rules (trivy.ts).
 */
import { RuleDefinition } from '../../engine/rule';
import { containerImagePinned, containerImagePullPolicy } from './pinning';
import { containerImageAllowedRegistry } from './registries';
import { imagesTrivyRules } from './trivy';

export const imagesRules: RuleDefinition[] = [
  containerImagePinned,
  containerImagePullPolicy,
  containerImageAllowedRegistry,
  ...imagesTrivyRules,
];
