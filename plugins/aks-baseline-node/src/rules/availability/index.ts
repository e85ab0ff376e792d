/*
 * Availability (HA-01..HA-06): probes, replicas, disruption budgets, zone
 * and host spread, Velero backups, workloads on Spot.
 */
import { RuleDefinition } from '../../engine/rule';
import { namespaceBackupSchedule } from './backup';
import { containerLivenessProbe, containerReadinessProbe } from './probes';
import {
  podDisruptionBudgetAllowsEvictions,
  workloadMinReplicas,
  workloadPodDisruptionBudget,
  workloadTopologySpread,
} from './replicas';
import { batchSpotScheduling } from './spot';

export const availabilityRules: RuleDefinition[] = [
  containerLivenessProbe,
  containerReadinessProbe,
  workloadMinReplicas,
  workloadPodDisruptionBudget,
  podDisruptionBudgetAllowsEvictions,
  workloadTopologySpread,
  namespaceBackupSchedule,
  batchSpotScheduling,
];
