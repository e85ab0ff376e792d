/*
 * Resources (RS-01..RS-05): container requests and limits, namespace quotas
 * and limit ranges, autoscalers on scalable workloads.
 */
import { RuleDefinition } from '../../engine/rule';
import { workloadAutoscaler } from './autoscaling';
import {
  containerResourceLimits,
  containerResourceRequests,
} from './container-resources';
import {
  namespaceLimitRange,
  namespaceResourceQuota,
} from './namespace-limits';

export const resourcesRules: RuleDefinition[] = [
  containerResourceRequests,
  containerResourceLimits,
  namespaceResourceQuota,
  namespaceLimitRange,
  workloadAutoscaler,
];
