/*
 * Cluster-wide settings: CL-10 load balancer SKU, CL-12 tags, CL-16
 * auto-upgrade channel, CL-17 maintenance window, CL-19 autoscaler profile,
 * CL-20 Azure Hybrid Benefit.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { PASS, fail, unknown } from '../../engine/outcomes';
import { MaintenanceConfigurationModel } from '../../engine/types';
import { ArmClusterRule } from '../../engine/rule';
import {
  AZ_CLUSTER,
  AZ_NODEPOOL,
  anyPoolAutoscaled,
  eqi,
  isWindowsPool,
  pick,
  pickKey,
} from './helpers';
import { shellWord } from '../../engine/fixes';
import { azCommand, azPoolCommand, fillIn } from '../shared/fixes';

export const standardLoadBalancer: ArmClusterRule = {
  id: 'standard-load-balancer-sku',
  baselineRef: 'CL-10',
  category: 'cluster',
  severity: 'medium',
  title: 'Cluster uses the Standard load balancer SKU',
  rationale:
    'The Basic load balancer has no SLA, no availability zones, no multiple node pools and was retired by Azure; Standard is required for a production cluster.',
  remediation: {
    summary: 'Move the cluster from the Basic to the Standard load balancer.',
    command: `az aks update ${AZ_CLUSTER} --load-balancer-sku standard`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --load-balancer-sku standard`,
      `Move ${c.name} to the Standard load balancer`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const sku = mc.networkProfile?.loadBalancerSku;
    if (eqi(sku, 'standard')) return PASS;
    if (sku === undefined)
      return unknown('The cluster does not report its load balancer SKU', [
        {
          path: 'networkProfile.loadBalancerSku',
          value: undefined,
          expected: 'standard',
        },
      ]);
    return fail(`The cluster uses the ${sku} load balancer SKU`, [
      {
        path: 'networkProfile.loadBalancerSku',
        value: sku,
        expected: 'standard',
      },
    ]);
  },
};

export const requiredTags: ArmClusterRule = {
  id: 'cluster-required-tags',
  baselineRef: 'CL-12',
  category: 'cluster',
  severity: 'medium',
  title: 'Cluster carries the required tags (Environment, Owner)',
  rationale:
    'Tags name the owner to call and the environment; the Environment tag also decides whether the stricter production rules apply.',
  remediation: {
    summary: 'Tag the cluster.',
    command: `az aks update ${AZ_CLUSTER} --tags Environment=Production Owner=DevOps`,
  },
  scope: 'cluster',
  source: 'arm',
  // `az aks update --tags` replaces every tag: merge instead.
  fix(c, evidence) {
    const id = c.managedCluster.id;
    if (typeof id !== 'string' || !id) return undefined;
    const tags = evidence
      .map(e => `${e.path.slice(5)}=${fillIn(`its ${e.path.slice(5)}`)}`)
      .join(' ');
    return {
      kind: 'command',
      command: `az tag update --resource-id ${shellWord(
        id,
      )} --operation Merge --tags ${tags}`,
      summary: `Add the missing tags to ${c.name}`,
      adapt: 'Fill in each tag value (the environment, the owning team)',
    };
  },
  check(c, ctx) {
    const mc = c.managedCluster;
    const required = ctx.params.requiredTags;
    const tags = mc.tags;
    let missing: Evidence[] | undefined;
    for (let i = 0; i < required.length; i++) {
      const wanted = required[i];
      const lower = wanted.toLowerCase();
      let found = false;
      let foundKey: string | undefined;
      let foundValue: string | undefined;
      if (tags) {
        for (const key in tags) {
          if (!Object.prototype.hasOwnProperty.call(tags, key)) continue;
          if (key.toLowerCase() !== lower) continue;
          foundKey = key;
          foundValue = tags[key];
          if (typeof foundValue === 'string' && foundValue.trim() !== '')
            found = true;
          break;
        }
      }
      if (!found) {
        (missing ??= []).push({
          path: `tags.${foundKey ?? wanted}`,
          value: foundValue,
          expected: 'a non-empty value',
        });
      }
    }
    if (!missing) return PASS;
    const names: string[] = [];
    for (let i = 0; i < missing.length; i++)
      names.push(missing[i].path.slice(5));
    return fail(
      `Missing or empty required tag(s): ${names.join(', ')}`,
      missing,
    );
  },
};

export const autoUpgradeChannel: ArmClusterRule = {
  id: 'auto-upgrade-channel-set',
  baselineRef: 'CL-16',
  category: 'cluster',
  severity: 'medium',
  title: 'An auto-upgrade channel is set (stable recommended)',
  rationale:
    'Without an upgrade channel the cluster only moves when someone remembers, and falls out of support; the node OS channel keeps node images patched.',
  remediation: {
    summary:
      'Set the auto-upgrade channel to stable (and a node OS upgrade channel other than None).',
    command: [
      `az aks update ${AZ_CLUSTER} --auto-upgrade-channel stable`,
      `az aks update ${AZ_CLUSTER} --node-os-upgrade-channel NodeImage`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => [
        `az aks update ${n} --auto-upgrade-channel stable`,
        `az aks update ${n} --node-os-upgrade-channel NodeImage`,
      ],
      `Set the stable and NodeImage upgrade channels on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const profile = mc.autoUpgradeProfile as
      | Record<string, unknown>
      | undefined;
    const channel = profile?.upgradeChannel;
    const nodeOs = pick(
      profile,
      'nodeOSUpgradeChannel',
      'nodeOsUpgradeChannel',
    );
    const channelOk =
      typeof channel === 'string' && channel !== '' && !eqi(channel, 'none');
    const nodeOsOk = !eqi(nodeOs, 'none');
    if (channelOk && nodeOsOk) return PASS;
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (!channelOk) {
      problems.push(
        channel
          ? `auto-upgrade channel is ${channel}`
          : 'no auto-upgrade channel is set',
      );
      evidence.push({
        path: 'autoUpgradeProfile.upgradeChannel',
        value: channel,
        expected: 'stable (or patch, rapid, node-image)',
      });
    }
    if (!nodeOsOk) {
      problems.push('node OS upgrade channel is None');
      evidence.push({
        path: `autoUpgradeProfile.${pickKey(
          profile,
          'nodeOSUpgradeChannel',
          'nodeOsUpgradeChannel',
        )}`,
        value: nodeOs,
        expected: 'NodeImage or SecurityPatch',
      });
    }
    return fail(`Automatic upgrades are off: ${problems.join('; ')}`, evidence);
  },
};

const MAINTENANCE_NAMES = [
  'default',
  'aksManagedAutoUpgradeSchedule',
  'aksManagedNodeOSUpgradeSchedule',
];

function hasWindow(cfg: MaintenanceConfigurationModel): boolean {
  // Readers flatten `properties`; tolerate an unflattened document too.
  const props = (cfg.properties as Record<string, unknown> | undefined) ?? cfg;
  const timeInWeek = props.timeInWeek;
  if (Array.isArray(timeInWeek) && timeInWeek.length > 0) return true;
  const window = props.maintenanceWindow as Record<string, unknown> | undefined;
  return !!window && typeof window === 'object' && !!window.schedule;
}

export const maintenanceWindow: ArmClusterRule = {
  id: 'planned-maintenance-window',
  baselineRef: 'CL-17',
  category: 'cluster',
  severity: 'low',
  title: 'A planned maintenance window is configured',
  rationale:
    'Auto-upgrades and node image updates otherwise start at any time of day; a window puts them where the team expects them and traffic is low.',
  remediation: {
    summary: 'Add a maintenance window (the default configuration).',
    command: `az aks maintenanceconfiguration add ${AZ_NODEPOOL} --name default --weekday Saturday --start-hour 2`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azPoolCommand(
      c.managedCluster,
      undefined,
      n =>
        `az aks maintenanceconfiguration add ${n} --name default --weekday Saturday --start-hour 2`,
      `Add a maintenance window to ${c.name}`,
      'Choose the day and hour of lowest traffic',
    ),
  check(c) {
    const configs = c.maintenanceConfigurations;
    if (configs === undefined)
      return unknown('Maintenance configurations were not read', [
        { path: 'maintenanceConfigurations', value: undefined },
      ]);
    for (let i = 0; i < configs.length; i++) {
      const cfg = configs[i];
      if (MAINTENANCE_NAMES.indexOf(cfg?.name) >= 0 && hasWindow(cfg))
        return PASS;
    }
    const names: string[] = [];
    for (let i = 0; i < configs.length; i++) names.push(configs[i]?.name);
    return fail(
      configs.length === 0
        ? 'No planned maintenance window is configured'
        : `No maintenance configuration defines a window (found: ${names.join(
            ', ',
          )})`,
      [
        {
          path: 'maintenanceConfigurations[].name',
          value: names,
          expected:
            'default, aksManagedAutoUpgradeSchedule or aksManagedNodeOSUpgradeSchedule with a schedule',
        },
      ],
    );
  },
};

interface AutoscalerSetting {
  kebab: string;
  camel: string;
  /** Expected value: seconds for durations, a number otherwise. */
  expected: number;
  kind: 'duration' | 'number';
  text: string;
}

const AUTOSCALER_SETTINGS: readonly AutoscalerSetting[] = [
  {
    kebab: 'scale-down-delay-after-add',
    camel: 'scaleDownDelayAfterAdd',
    expected: 600,
    kind: 'duration',
    text: '10m',
  },
  {
    kebab: 'scale-down-unneeded-time',
    camel: 'scaleDownUnneededTime',
    expected: 600,
    kind: 'duration',
    text: '10m',
  },
  {
    kebab: 'scale-down-utilization-threshold',
    camel: 'scaleDownUtilizationThreshold',
    expected: 0.5,
    kind: 'number',
    text: '0.5',
  },
  {
    kebab: 'max-graceful-termination-sec',
    camel: 'maxGracefulTerminationSec',
    expected: 600,
    kind: 'number',
    text: '600',
  },
];

const DURATION_PART_RE = /(\d+(?:\.\d+)?)(h|m|s)/y;
const PLAIN_NUMBER_RE = /^\d+(\.\d+)?$/;
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** Go-style durations as AKS prints them (`10m`, `600s`, `1h30m`) in seconds. */
export function durationSeconds(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (PLAIN_NUMBER_RE.test(s)) return Number(s);
  let total = 0;
  DURATION_PART_RE.lastIndex = 0;
  while (DURATION_PART_RE.lastIndex < s.length) {
    const m = DURATION_PART_RE.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return total;
}

export const autoscalerProfileTuned: ArmClusterRule = {
  id: 'cluster-autoscaler-profile-tuned',
  baselineRef: 'CL-19',
  category: 'cluster',
  severity: 'low',
  title:
    'Cluster autoscaler profile: scale-down delay and unneeded time 10m, utilization 0.5, graceful termination 600s',
  rationale:
    'Scaling down sooner than 10 minutes makes the autoscaler thrash, later wastes nodes; 600s gives pods time to drain. A setting left unset keeps the AKS default, which is the recommended value.',
  remediation: {
    summary: 'Set the cluster autoscaler profile.',
    command: `az aks update ${AZ_CLUSTER} --cluster-autoscaler-profile scale-down-delay-after-add=10m scale-down-unneeded-time=10m scale-down-utilization-threshold=0.5 max-graceful-termination-sec=600`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks update ${n} --cluster-autoscaler-profile scale-down-delay-after-add=10m scale-down-unneeded-time=10m scale-down-utilization-threshold=0.5 max-graceful-termination-sec=600`,
      `Set the baseline's autoscaler profile on ${c.name}`,
    ),
  appliesTo: {
    when: c => anyPoolAutoscaled(c.managedCluster),
  },
  check(c) {
    const mc = c.managedCluster;
    const profile = mc.autoScalerProfile as Record<string, unknown> | undefined;
    if (!profile) return PASS; // every setting at its AKS default
    let evidence: Evidence[] | undefined;
    for (let i = 0; i < AUTOSCALER_SETTINGS.length; i++) {
      const setting = AUTOSCALER_SETTINGS[i];
      // REST spells the keys kebab-case, the SDK and az camelCase.
      const raw = pick(profile, setting.camel, setting.kebab);
      if (raw === undefined) continue;
      let value: number | undefined;
      if (typeof raw === 'number') value = raw;
      else if (typeof raw === 'string')
        value =
          setting.kind === 'duration' ? durationSeconds(raw) : Number(raw);
      if (value === setting.expected) continue;
      (evidence ??= []).push({
        path: `autoScalerProfile.${pickKey(
          profile,
          setting.camel,
          setting.kebab,
        )}`,
        value: raw,
        expected: setting.text,
      });
    }
    if (!evidence) return PASS;
    const parts: string[] = [];
    for (let i = 0; i < evidence.length; i++)
      parts.push(`${evidence[i].path.slice(18)}=${String(evidence[i].value)}`);
    return fail(
      `Cluster autoscaler profile differs from the baseline: ${parts.join(
        ', ',
      )}`,
      evidence,
    );
  },
};

export const windowsHybridBenefit: ArmClusterRule = {
  id: 'windows-azure-hybrid-benefit',
  baselineRef: 'CL-20',
  category: 'cluster',
  severity: 'low',
  title: 'Azure Hybrid Benefit is applied to Windows node pools',
  rationale:
    'With existing Windows Server licences, Azure Hybrid Benefit removes the Windows licence charge from every Windows node.',
  remediation: {
    summary: 'Enable Azure Hybrid Benefit for the Windows nodes.',
    command: `az aks update ${AZ_CLUSTER} --enable-ahub`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --enable-ahub`,
      `Apply Azure Hybrid Benefit to the Windows nodes of ${c.name}`,
      'Only with Windows Server licences covered by Software Assurance',
    ),
  appliesTo: {
    when: c => {
      const pools = c.managedCluster.agentPoolProfiles;
      if (!pools) return false;
      for (let i = 0; i < pools.length; i++)
        if (isWindowsPool(pools[i])) return true;
      return false;
    },
  },
  check(c) {
    const mc = c.managedCluster;
    const licenseType = mc.windowsProfile?.licenseType;
    if (licenseType === 'Windows_Server') return PASS;
    return fail('Windows node pools run without Azure Hybrid Benefit', [
      {
        path: 'windowsProfile.licenseType',
        value: licenseType,
        expected: 'Windows_Server',
      },
    ]);
  },
};
