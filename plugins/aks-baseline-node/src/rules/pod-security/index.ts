/*
 * Pod security (PS-01..PS-07): Pod Security Admission labels per namespace,
 * and the restricted security context on every workload's containers.
 */
import { RuleDefinition } from '../../engine/rule';
import { containerNotPrivileged, podNoHostAccess } from './host-access';
import { namespacePodSecurityLabels } from './namespace-labels';
import {
  containerDropAllCapabilities,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFilesystem,
  containerRunAsNonRoot,
  containerSeccompProfile,
} from './security-context';

export const podSecurityRules: RuleDefinition[] = [
  namespacePodSecurityLabels,
  containerRunAsNonRoot,
  containerNoPrivilegeEscalation,
  containerReadOnlyRootFilesystem,
  containerDropAllCapabilities,
  containerSeccompProfile,
  containerNotPrivileged,
  podNoHostAccess,
];
