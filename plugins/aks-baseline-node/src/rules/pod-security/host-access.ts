/*
 * PS-07: no privileged containers; no host namespaces or hostPath volumes.
 * Split in two rules so that a log collector's hostPath does not read as a
 * privileged container.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { WorkloadView } from '../../engine/types';
import { ContainerCheck, ContainerRule, WorkloadRule } from '../../engine/rule';
import { containersDo, securityContextPath } from '../shared/containers';
import { workloadEvidencePatch } from '../shared/fixes';

/**
 * A Windows HostProcess container (its own windowsOptions, else the pod's)
 * runs as a process on the node: privileged in all but name, and refused
 * by the baseline Pod Security Standard like `privileged: true`.
 */
function hostProcess(c: any, podSpec: any): boolean {
  const own = c.securityContext?.windowsOptions?.hostProcess;
  if (own !== undefined && own !== null) return own === true;
  return podSpec?.securityContext?.windowsOptions?.hostProcess === true;
}

const privilegedCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    if (c.securityContext?.privileged === true) {
      (problems ??= []).push({
        path: securityContextPath(ctx.path, 'privileged'),
        value: true,
        expected: 'false or unset',
      });
    }
    if (hostProcess(c, ctx.workload.podSpec)) {
      const own = c.securityContext?.windowsOptions?.hostProcess === true;
      (problems ??= []).push({
        path: `${securityContextPath(
          own ? ctx.path : ctx.workload.podSpecPath,
          'windowsOptions',
        )}.hostProcess`,
        value: true,
        expected: 'false or unset',
      });
    }
    return problems;
  },
  message: (names, evidence) => {
    const verbs = evidence.some(e => e.path.endsWith('.hostProcess'))
      ? [
          'runs privileged or as a Windows HostProcess container',
          'run privileged or as Windows HostProcess containers',
        ]
      : ['runs privileged', 'run privileged'];
    return `${containersDo(
      names,
      verbs[0],
      verbs[1],
    )}: a privileged container has every capability and full access to the node's devices.`;
  },
};

export const containerNotPrivileged: ContainerRule = {
  id: 'container-not-privileged',
  baselineRef: 'PS-07',
  category: 'pod-security',
  severity: 'critical',
  title: 'No privileged containers',
  rationale:
    'A privileged container runs with all capabilities, without seccomp or AppArmor confinement and with access to host devices: escaping to the node is trivial. A Windows HostProcess container runs directly on the node, with the same effect.',
  remediation: {
    summary:
      'Remove securityContext.privileged: true (and windowsOptions.hostProcess: true); grant the one capability the process needs instead, or move the job to a node-level tool.',
    snippet: `containers:
- name: app
  securityContext:
    privileged: false
    allowPrivilegeEscalation: false
    capabilities:
      drop:
      - ALL`,
  },
  scope: 'workload',
  source: 'kubernetes',
  container: privilegedCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      () => false,
      'Turn off privileged (and HostProcess) on each offending container',
      'The container was made privileged on purpose: grant the one capability it needs instead, or move the job to a node-level tool',
    ),
};

const HOST_NAMESPACE_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;
const HOST_NAMESPACE_TEXT: Record<string, string> = {
  hostNetwork: "the node's network namespace (hostNetwork)",
  hostPID: "the node's process namespace (hostPID)",
  hostIPC: "the node's IPC namespace (hostIPC)",
};

function checkHostAccess(w: WorkloadView) {
  const spec = w.podSpec;
  if (!spec) return PASS;
  let evidence: Evidence[] | undefined;
  const uses: string[] = [];
  for (const field of HOST_NAMESPACE_FIELDS) {
    if (spec[field] === true) {
      uses.push(HOST_NAMESPACE_TEXT[field]);
      (evidence ??= []).push({
        path: `${w.podSpecPath}.${field}`,
        value: true,
        expected: 'false or unset',
      });
    }
  }
  const volumes = spec.volumes;
  if (Array.isArray(volumes)) {
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i];
      if (!v || !v.hostPath) continue;
      uses.push(`hostPath volume ${v.name} (${v.hostPath.path})`);
      (evidence ??= []).push({
        path: `${w.podSpecPath}.volumes[${i}].hostPath`,
        value: v.hostPath,
        expected: 'no hostPath volume (use emptyDir, a ConfigMap or a PVC)',
      });
    }
  }
  if (!evidence) return PASS;
  return fail(`Pod uses ${uses.join(', ')}.`, evidence);
}

export const podNoHostAccess: WorkloadRule = {
  id: 'pod-no-host-namespaces-or-paths',
  baselineRef: 'PS-07',
  category: 'pod-security',
  severity: 'critical',
  title: 'Pods do not share host namespaces or mount hostPath volumes',
  rationale:
    "hostNetwork, hostPID and hostIPC put the pod in the node's namespaces (it sees and can signal node processes, sniff node traffic); a hostPath volume exposes the node's filesystem. All are blocked by the baseline Pod Security Standard.",
  remediation: {
    summary:
      'Remove hostNetwork, hostPID and hostIPC from the pod spec and replace hostPath volumes with emptyDir, ConfigMap or PersistentVolumeClaim volumes.',
    snippet: `spec:
  template:
    spec:
      hostNetwork: false
      hostPID: false
      hostIPC: false
      volumes:
      - name: tmp
        emptyDir: {}`,
  },
  scope: 'workload',
  source: 'kubernetes',
  check: checkHostAccess,
  fixUnavailable:
    'What replaces a host namespace or a hostPath volume (an emptyDir, a ConfigMap, a PersistentVolumeClaim, a node-level agent) depends on what the application does with it.',
};
