/*
 * The ARM-sourced networking rules: NW-01 (Azure CNI, Overlay), NW-02
 * (network policy engine), NW-07 (AKS-managed ingress), NW-08 (API server
 * access).
 */
import { PASS, fail, notApplicable, unknown } from '../../engine/outcomes';
import { ArmClusterRule, RuleDefinition } from '../../engine/rule';
import {
  AZ_CLUSTER,
  addonEnabled,
  eqi,
  pick,
  pickKey,
} from '../cluster/helpers';
import { optionalReads } from '../../engine/rule-parts';
import { azCommand, fillIn } from '../shared/fixes';

export const azureCniInProduction: ArmClusterRule = {
  id: 'azure-cni-in-production',
  baselineRef: 'NW-01',
  category: 'networking',
  severity: 'medium',
  title: 'Production clusters use Azure CNI (kubenet only for dev/test)',
  rationale:
    'kubenet needs extra route tables, supports neither Windows nodes nor Azure network policies, and is being retired; Azure CNI is the production network plugin.',
  remediation: {
    summary:
      'Move the cluster to Azure CNI Overlay (an in-place kubenet → Overlay upgrade exists; test it on a copy first).',
    command: `az aks update ${AZ_CLUSTER} --network-plugin azure --network-plugin-mode overlay --pod-cidr 192.168.0.0/16`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks update ${n} --network-plugin azure --network-plugin-mode overlay --pod-cidr ${fillIn(
          'a pod CIDR that overlaps no network you reach, e.g. 192.168.0.0/16',
        )}`,
      `Move ${c.name} to Azure CNI Overlay`,
      'Choose a pod CIDR that overlaps none of your networks',
    ),
  appliesTo: { profiles: ['production'] },
  check(c) {
    const mc = c.managedCluster;
    const plugin = mc.networkProfile?.networkPlugin;
    if (eqi(plugin, 'azure')) return PASS;
    if (plugin === undefined)
      return unknown('The cluster does not report its network plugin', [
        {
          path: 'networkProfile.networkPlugin',
          value: undefined,
          expected: 'azure',
        },
      ]);
    return fail(
      eqi(plugin, 'kubenet')
        ? 'This production cluster uses kubenet, which is for dev/test only'
        : `This production cluster uses network plugin "${plugin}" (bring your own CNI), not Azure CNI`,
      [
        {
          path: 'networkProfile.networkPlugin',
          value: plugin,
          expected: 'azure',
        },
      ],
    );
  },
};

export const azureCniOverlay: ArmClusterRule = {
  id: 'azure-cni-overlay',
  baselineRef: 'NW-01',
  category: 'networking',
  severity: 'low',
  title: 'Production clusters use Azure CNI Overlay (or dynamic pod subnets)',
  rationale:
    'Classic Azure CNI gives every pod a VNet address and exhausts subnets on large clusters; Overlay keeps pods on a private CIDR with the same features.',
  remediation: {
    summary: 'Upgrade the cluster to Azure CNI Overlay.',
    command: `az aks update ${AZ_CLUSTER} --network-plugin-mode overlay --pod-cidr 192.168.0.0/16`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks update ${n} --network-plugin-mode overlay --pod-cidr ${fillIn(
          'a pod CIDR that overlaps no network you reach, e.g. 192.168.0.0/16',
        )}`,
      `Move ${c.name} to Azure CNI Overlay`,
      'Choose a pod CIDR that overlaps none of your networks',
    ),
  appliesTo: { profiles: ['production'] },
  check(c) {
    const mc = c.managedCluster;
    const network = mc.networkProfile;
    const plugin = network?.networkPlugin;
    const mode = network?.networkPluginMode;
    if (eqi(plugin, 'azure') && eqi(mode, 'overlay')) return PASS;
    if (eqi(plugin, 'azure')) {
      // Azure CNI with a dedicated pod subnet (dynamic IP allocation) also
      // avoids exhausting the node subnet.
      const pools = mc.agentPoolProfiles;
      if (pools) {
        for (let i = 0; i < pools.length; i++) {
          const subnet = pools[i].podSubnetID ?? pools[i].podSubnetId;
          if (typeof subnet === 'string' && subnet) return PASS;
        }
      }
    }
    if (plugin === undefined)
      return unknown('The cluster does not report its network plugin', [
        {
          path: 'networkProfile.networkPlugin',
          value: undefined,
          expected: 'azure',
        },
      ]);
    return fail(
      eqi(plugin, 'azure')
        ? 'Azure CNI runs in classic (node subnet) mode: pods consume VNet addresses'
        : `Network plugin "${plugin}" is not Azure CNI Overlay`,
      [
        {
          path: 'networkProfile.networkPlugin',
          value: plugin,
          expected: 'azure',
        },
        {
          path: 'networkProfile.networkPluginMode',
          value: mode,
          expected: 'overlay',
        },
      ],
    );
  },
};

const POLICY_ENGINES = ['azure', 'calico', 'cilium'];

export const networkPolicyEngine: ArmClusterRule = {
  id: 'network-policy-engine-enabled',
  baselineRef: 'NW-02',
  category: 'networking',
  severity: 'high',
  title: 'A network policy engine is enabled (azure, calico or cilium)',
  rationale:
    'Without a policy engine NetworkPolicy objects are accepted but silently not enforced: every pod can reach every other pod.',
  remediation: {
    summary:
      'Enable a network policy engine (Azure, Calico, or Cilium with the Cilium dataplane).',
    command: `az aks update ${AZ_CLUSTER} --network-policy azure`,
  },
  scope: 'cluster',
  source: 'arm',
  // Cilium needs the Cilium dataplane; azure is the engine AKS adds in place.
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks update ${n} --network-policy azure`,
      `Enable the Azure network policy engine on ${c.name}`,
    ),
  check(c) {
    const mc = c.managedCluster;
    const policy = mc.networkProfile?.networkPolicy;
    if (
      typeof policy === 'string' &&
      POLICY_ENGINES.indexOf(policy.toLowerCase()) >= 0
    )
      return PASS;
    // Azure CNI powered by Cilium enforces policies through its dataplane.
    const dataplane = mc.networkProfile?.networkDataplane;
    if (eqi(dataplane, 'cilium')) return PASS;
    return fail(
      policy && !eqi(policy, 'none')
        ? `Unrecognised network policy engine "${policy}"`
        : 'No network policy engine is enabled: NetworkPolicies are not enforced',
      [
        {
          path: 'networkProfile.networkPolicy',
          value: policy,
          expected: 'azure, calico or cilium',
        },
        { path: 'networkProfile.networkDataplane', value: dataplane },
      ],
    );
  },
};

export const managedIngress: ArmClusterRule = {
  id: 'managed-ingress-addon',
  baselineRef: 'NW-07',
  category: 'networking',
  severity: 'low',
  title:
    'An AKS-managed ingress is enabled (application routing or Application Gateway Ingress Controller)',
  rationale:
    "A managed ingress controller is patched and scaled by AKS. From ARM alone an ingress-nginx or Application Gateway for Containers installed with Helm is invisible, so when the cluster's objects were read this rule defers to the in-cluster rule (ingress-class-present).",
  remediation: {
    summary:
      'Enable the application routing add-on (managed NGINX), or AGIC for an existing Application Gateway.',
    command: [
      `az aks approuting enable ${AZ_CLUSTER}`,
      `az aks enable-addons ${AZ_CLUSTER} --addons ingress-appgw --appgw-name myApplicationGateway --appgw-subnet-cidr "10.2.0.0/16"`,
    ].join('\n'),
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n => `az aks approuting enable ${n}`,
      `Enable the application routing add-on on ${c.name}`,
    ),
  reads: optionalReads('IngressClass'),
  check(c, ctx) {
    const mc = c.managedCluster;
    if (addonEnabled(mc, 'ingressapplicationgateway')) return PASS;
    const ingress = mc.ingressProfile as Record<string, any> | undefined;
    if (ingress) {
      // webAppRouting today; any future managed ingress flavour reports `enabled` too.
      for (const key in ingress) {
        if (ingress[key] && ingress[key].enabled === true) return PASS;
      }
    }
    if (ctx.index.kindStatus('IngressClass') === 'read') {
      return notApplicable(
        "No AKS-managed ingress add-on is enabled; the cluster's IngressClasses were read, so rule ingress-class-present decides whether an in-cluster controller exists",
      );
    }
    // Only ARM was read (or IngressClasses could not be): a controller
    // installed with Helm would not show here, so there is no failure to
    // report, only a check that could not be made.
    return unknown(
      `No AKS-managed ingress (application routing or AGIC) is enabled, and the cluster's IngressClasses were not read (${
        ctx.index.kindReason('IngressClass') ?? 'no Kubernetes objects'
      }): an in-cluster controller installed with Helm (ingress-nginx, Application Gateway for Containers) is not visible from Azure Resource Manager`,
      [
        {
          path: 'ingressProfile.webAppRouting.enabled',
          value: mc.ingressProfile?.webAppRouting?.enabled,
          expected: 'true',
        },
        {
          path: 'addonProfiles.ingressapplicationgateway.enabled',
          value: mc.addonProfiles?.ingressapplicationgateway?.enabled,
          expected: 'or true',
        },
        { path: 'IngressClass', value: 'not read' },
      ],
    );
  },
};

const OPEN_RANGE_RE = /\/0$/;

export const apiServerAccessRestricted: ArmClusterRule = {
  id: 'api-server-access-restricted',
  baselineRef: 'NW-08',
  category: 'networking',
  severity: 'critical',
  title: 'API server is private or restricted to authorized IP ranges',
  rationale:
    'A public API server open to the whole internet is exposed to credential stuffing and to every future API server vulnerability; a private cluster or a short list of authorized ranges removes that attack surface.',
  remediation: {
    summary:
      'Restrict the API server to your networks (or create the cluster as a private cluster).',
    command: `az aks update ${AZ_CLUSTER} --api-server-authorized-ip-ranges "203.0.113.0/24,198.51.100.0/24"`,
  },
  scope: 'cluster',
  source: 'arm',
  fix: c =>
    azCommand(
      c.managedCluster,
      n =>
        `az aks update ${n} --api-server-authorized-ip-ranges ${fillIn(
          'CIDRs of your offices, VPN and CI runners, comma-separated',
        )}`,
      `Restrict the API server of ${c.name} to authorized IP ranges`,
      'Fill in every range that must reach the API server (CI runners included), or make the cluster private',
    ),
  check(c) {
    const mc = c.managedCluster;
    const access = mc.apiServerAccessProfile;
    if (access?.enablePrivateCluster === true) return PASS;
    // Readers normalise az's `authorizedIpRanges`; read both anyway.
    const list = pick(access, 'authorizedIPRanges', 'authorizedIpRanges') as
      | string[]
      | undefined;
    if (Array.isArray(list) && list.length > 0) {
      let open: string | undefined;
      for (let i = 0; i < list.length; i++) {
        const range = typeof list[i] === 'string' ? list[i].trim() : '';
        if (OPEN_RANGE_RE.test(range)) open = range;
      }
      if (!open) return PASS;
      return fail(
        `The authorized IP ranges include ${open}: the API server is open to the whole internet`,
        [
          {
            path: `apiServerAccessProfile.${pickKey(
              access,
              'authorizedIPRanges',
              'authorizedIpRanges',
            )}`,
            value: list,
            expected: 'specific ranges, never 0.0.0.0/0',
          },
        ],
      );
    }
    return fail(
      'The API server is public and accepts connections from any IP address',
      [
        {
          path: 'apiServerAccessProfile.enablePrivateCluster',
          value: access?.enablePrivateCluster,
          expected: 'true',
        },
        {
          path: `apiServerAccessProfile.${pickKey(
            access,
            'authorizedIPRanges',
            'authorizedIpRanges',
          )}`,
          value: list,
          expected: 'or a non-empty list of authorized ranges',
        },
      ],
    );
  },
};

export const networkingArmRules: RuleDefinition[] = [
  azureCniInProduction,
  azureCniOverlay,
  networkPolicyEngine,
  managedIngress,
  apiServerAccessRestricted,
];
