/*
 * The ARM-sourced operations rules: OP-01 (Container Insights), OP-02
 * (managed Prometheus), OP-03 (Azure Policy), OP-04 (diagnostic settings,
 * manual) and OP-07 (power state).
 */
import { PASS, fail, unknown } from '../../engine/outcomes';
import { ArmClusterRule, ManualRule, RuleDefinition } from '../../engine/rule';
import { AZ_CLUSTER, addonKey, addonProfile, eqi } from '../cluster/helpers';
import { azCommand, fillIn } from '../shared/fixes';

export const containerInsights: ArmClusterRule = {
  id: 'container-insights-enabled',
  baselineRef: 'OP-01',
  category: 'operations',
  severity: 'medium',
  title: 'Container Insights (monitoring add-on) is enabled',
  rationale:
    'Container Insights collects container logs, node and pod metrics and Kubernetes events into Log Analytics: without it there is nothing to investigate an incident with.',
  remediation: {
    summary: 'Enable the monitoring add-on with a Log Analytics workspace.',
    command: `az aks enable-addons ${AZ_CLUSTER} --addons monitoring --workspace-resource-id $WORKSPACE_ID`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks enable-addons ${n} --addons monitoring --workspace-resource-id ${fillIn(
          'resource id of the Log Analytics workspace',
        )}`,
      `Enable Container Insights on ${c.name}`,
      'Fill in the Log Analytics workspace your team uses',
    ),
  check(c) {
    const mc = c.managedCluster;
    const oms = addonProfile(mc, 'omsagent');
    if (oms?.enabled === true) return PASS;
    // Newer API versions can configure Container Insights under azureMonitorProfile.
    const monitor = mc.azureMonitorProfile as Record<string, any> | undefined;
    if (
      monitor?.containerInsights?.enabled === true ||
      monitor?.logs?.containerInsights?.enabled === true
    )
      return PASS;
    return fail('Container Insights is not enabled', [
      {
        path: `addonProfiles.${addonKey(mc, 'omsagent') ?? 'omsagent'}.enabled`,
        value: oms?.enabled,
        expected: 'true',
      },
      {
        path: 'azureMonitorProfile.containerInsights.enabled',
        value: monitor?.containerInsights?.enabled,
        expected: 'or true',
      },
    ]);
  },
};

export const managedPrometheus: ArmClusterRule = {
  id: 'managed-prometheus-enabled',
  baselineRef: 'OP-02',
  category: 'operations',
  severity: 'medium',
  title: 'Azure Monitor managed Prometheus metrics are enabled',
  rationale:
    'Managed Prometheus scrapes cluster and workload metrics into an Azure Monitor workspace for Grafana dashboards and alert rules, without running Prometheus yourself.',
  remediation: {
    summary: 'Enable Azure Monitor metrics (managed Prometheus).',
    command: `az aks update ${AZ_CLUSTER} --enable-azure-monitor-metrics`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --enable-azure-monitor-metrics`,
      `Enable Azure Monitor managed Prometheus on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const enabled = mc.azureMonitorProfile?.metrics?.enabled;
    if (enabled === true) return PASS;
    return fail('Managed Prometheus metrics are not enabled', [
      {
        path: 'azureMonitorProfile.metrics.enabled',
        value: enabled,
        expected: 'true',
      },
    ]);
  },
};

export const azurePolicyAddon: ArmClusterRule = {
  id: 'azure-policy-addon-enabled',
  baselineRef: 'OP-03',
  category: 'operations',
  severity: 'medium',
  title: 'Azure Policy add-on is enabled',
  rationale:
    "The Azure Policy add-on (Gatekeeper) enforces the organisation's guardrails at admission time, such as no privileged containers or allowed registries only, and reports compliance centrally.",
  remediation: {
    summary:
      'Enable the Azure Policy add-on, then assign the AKS policy initiatives.',
    command: `az aks enable-addons ${AZ_CLUSTER} --addons azure-policy`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks enable-addons ${n} --addons azure-policy`,
      `Enable the Azure Policy add-on on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const addon = addonProfile(mc, 'azurepolicy');
    if (addon?.enabled === true) return PASS;
    return fail('The Azure Policy add-on is not enabled', [
      {
        path: `addonProfiles.${
          addonKey(mc, 'azurepolicy') ?? 'azurepolicy'
        }.enabled`,
        value: addon?.enabled,
        expected: 'true',
      },
    ]);
  },
};

export const controlPlaneDiagnostics: ManualRule = {
  id: 'control-plane-diagnostic-logs',
  baselineRef: 'OP-04',
  category: 'operations',
  severity: 'medium',
  title:
    'Control-plane logs (kube-apiserver, kube-audit, controller-manager, scheduler, cluster-autoscaler) go to Log Analytics',
  rationale:
    'The API server and audit logs are the only record of who changed what in the cluster; they are kept only when a diagnostic setting sends them somewhere.',
  remediation: {
    summary:
      'Create a diagnostic setting on the cluster for the control-plane log categories.',
    command: `az monitor diagnostic-settings create \\
  --name aks-diagnostics \\
  --resource $(az aks show -g $RESOURCE_GROUP -n $CLUSTER --query id -o tsv) \\
  --workspace $WORKSPACE_ID \\
  --logs '[{"category":"kube-apiserver","enabled":true},
    {"category":"kube-controller-manager","enabled":true},
    {"category":"kube-scheduler","enabled":true},
    {"category":"kube-audit","enabled":true},
    {"category":"cluster-autoscaler","enabled":true}]' \\
  --metrics '[{"category":"AllMetrics","enabled":true}]'`,
  },
  scope: 'cluster',
  source: 'arm',
  manual: {
    reason:
      'Diagnostic settings belong to the Azure Monitor API (Microsoft.Insights/diagnosticSettings), not to the managed cluster: they are not in `az aks show` nor in managedClusters.get. Confirm with `az monitor diagnostic-settings list --resource <cluster id>`.',
  },
};

export const clusterRunning: ArmClusterRule = {
  id: 'cluster-power-state-running',
  baselineRef: 'OP-07',
  category: 'operations',
  severity: 'medium',
  title: 'Cluster is running',
  rationale:
    'A stopped cluster serves nothing and stops receiving updates; one stopped for long (over 12 months) can no longer be started.',
  remediation: {
    summary: 'Start the cluster (and check it daily).',
    command: [
      `az aks start ${AZ_CLUSTER}`,
      'az aks show -g $RESOURCE_GROUP -n $CLUSTER --query "powerState" -o table',
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks start ${n}`,
      `Start ${c.name}`,
      'Only if it was not stopped on purpose (a dev cluster stopped overnight)',
    ),
  check(c) {
    const mc = c.managedCluster;
    const code = mc.powerState?.code;
    if (eqi(code, 'running')) return PASS;
    if (code === undefined)
      return unknown('The cluster does not report its power state', [
        { path: 'powerState.code', value: undefined, expected: 'Running' },
      ]);
    return fail(`The cluster is ${code}`, [
      { path: 'powerState.code', value: code, expected: 'Running' },
    ]);
  },
};

export const operationsArmRules: RuleDefinition[] = [
  containerInsights,
  managedPrometheus,
  azurePolicyAddon,
  controlPlaneDiagnostics,
  clusterRunning,
];
