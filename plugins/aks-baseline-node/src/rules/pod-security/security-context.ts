/*
 * PS-02..PS-06: container security context, checked on every container and
 * init container of a workload's pod template. The pod-level security
 * context is inherited by containers that do not set the field themselves.
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { Container, ContainerCheck, ContainerRule } from '../../engine/rule';
import {
  containerSecurityField,
  containersDo,
  effectiveSecurityField,
  effectiveSecurityPath,
  isLinuxWorkload,
  securityContextPath,
  subPath,
} from '../shared/containers';
import { workloadEvidencePatch } from '../shared/fixes';

/** The last segment of an evidence path (`...securityContext.runAsUser` → `runAsUser`). */
function fieldOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** The seed's restricted pod security context (fix for PS-02..PS-06). */
const RESTRICTED_SNIPPET = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: secure-app
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        fsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: app
        image: myapp:1.0
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 1000
          capabilities:
            drop:
            - ALL
        volumeMounts:
        - name: tmp
          mountPath: /tmp
      volumes:
      - name: tmp
        emptyDir: {}`;

// ------------------------------------------------------------------ PS-02

const runAsNonRootCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    const nonRoot = effectiveSecurityField(c, ctx, 'runAsNonRoot');
    if (nonRoot !== true) {
      (problems ??= []).push({
        path: effectiveSecurityPath(c, ctx, 'runAsNonRoot'),
        value: nonRoot,
        expected: 'true (container or pod securityContext)',
      });
    }
    const uid = effectiveSecurityField(c, ctx, 'runAsUser');
    if (!(typeof uid === 'number' && uid > 0)) {
      (problems ??= []).push({
        path: effectiveSecurityPath(c, ctx, 'runAsUser'),
        value: uid,
        expected: 'a non-zero UID, e.g. 1000',
      });
    }
    return problems;
  },
  message: names =>
    `${containersDo(
      names,
      'may run as root',
      'may run as root',
    )}: set runAsNonRoot: true and a non-zero runAsUser in the pod or container securityContext.`,
};

export const containerRunAsNonRoot: ContainerRule = {
  id: 'container-run-as-non-root',
  baselineRef: 'PS-02',
  category: 'pod-security',
  severity: 'high',
  title:
    'Containers run as a non-root user (runAsNonRoot and a non-zero runAsUser)',
  rationale:
    'A process running as UID 0 in a container is root on the node if it escapes the container. runAsNonRoot makes the kubelet refuse to start a container as root, and an explicit non-zero runAsUser makes the UID independent of the image.',
  remediation: {
    summary:
      'Set runAsNonRoot: true and runAsUser: 1000 (any non-zero UID) in the pod securityContext, or on each container.',
    snippet: RESTRICTED_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { when: isLinuxWorkload },
  container: runAsNonRootCheck,
  // Where each field was read (the container's, else the pod's), set.
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      e => (fieldOf(e.path) === 'runAsNonRoot' ? true : 1000),
      'Set runAsNonRoot: true and runAsUser: 1000 where each offending container reads them',
    ),
};

// ------------------------------------------------------------------ PS-03

function containerFieldCheck(
  field: string,
  expectedValue: boolean,
  expectedText: string,
  message: (names: readonly string[]) => string,
): ContainerCheck {
  return {
    check(c: Container, ctx) {
      const value = containerSecurityField(c, field);
      if (value === expectedValue) return undefined;
      return [
        {
          path: securityContextPath(ctx.path, field),
          value,
          expected: expectedText,
        },
      ];
    },
    message,
  };
}

const noPrivilegeEscalationCheck = containerFieldCheck(
  'allowPrivilegeEscalation',
  false,
  'false',
  names =>
    `${containersDo(
      names,
      'does not set',
      'do not set',
    )} allowPrivilegeEscalation: false (it defaults to true).`,
);

export const containerNoPrivilegeEscalation: ContainerRule = {
  id: 'container-no-privilege-escalation',
  baselineRef: 'PS-03',
  category: 'pod-security',
  severity: 'high',
  title: 'Containers set allowPrivilegeEscalation: false',
  rationale:
    'Unless it is set to false, a process can gain more privileges than its parent (setuid binaries, file capabilities), which turns a compromised process into root.',
  remediation: {
    summary:
      'Set securityContext.allowPrivilegeEscalation: false on every container.',
    snippet: RESTRICTED_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { when: isLinuxWorkload },
  container: noPrivilegeEscalationCheck,
  // Each offending container's securityContext gets the field (kubectl
  // patch --type json), created where the container has none.
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      () => false,
      'Set allowPrivilegeEscalation: false on each offending container',
    ),
};

// ------------------------------------------------------------------ PS-04

const readOnlyRootCheck = containerFieldCheck(
  'readOnlyRootFilesystem',
  true,
  'true (mount writable paths as emptyDir)',
  names =>
    `${containersDo(
      names,
      'has a writable root filesystem',
      'have a writable root filesystem',
    )}: set readOnlyRootFilesystem: true and mount writable paths as emptyDir volumes.`,
);

export const containerReadOnlyRootFilesystem: ContainerRule = {
  id: 'container-read-only-root-filesystem',
  baselineRef: 'PS-04',
  category: 'pod-security',
  severity: 'medium',
  title: 'Containers use a read-only root filesystem',
  rationale:
    'A read-only root filesystem stops an attacker from dropping tools or modifying binaries in the container; the paths the application must write (/tmp, caches) are mounted as emptyDir volumes.',
  remediation: {
    summary:
      'Set securityContext.readOnlyRootFilesystem: true and mount writable paths (e.g. /tmp) as emptyDir volumes.',
    snippet: RESTRICTED_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { when: isLinuxWorkload },
  container: readOnlyRootCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      () => true,
      'Set readOnlyRootFilesystem: true on each offending container',
      'Mount every path the application writes (e.g. /tmp, caches) as an emptyDir volume first, or it fails at its first write',
    ),
};

// ------------------------------------------------------------------ PS-05

/** The one capability the restricted Pod Security Standard lets a container add back. */
const ALLOWED_ADD = 'NET_BIND_SERVICE';

function dropsAll(c: Container): boolean {
  const drop = c.securityContext?.capabilities?.drop;
  if (!Array.isArray(drop)) return false;
  for (let i = 0; i < drop.length; i++) if (drop[i] === 'ALL') return true;
  return false;
}

/**
 * `drop: [all]` (any case but ALL): the runtime may well drop everything,
 * but Pod Security Admission compares the names exactly and the restricted
 * level accepts only `ALL`, so such a pod is refused where it is enforced.
 */
function dropsAllInWrongCase(c: Container): boolean {
  const drop = c.securityContext?.capabilities?.drop;
  if (!Array.isArray(drop)) return false;
  for (let i = 0; i < drop.length; i++) {
    const d = drop[i];
    if (typeof d === 'string' && d !== 'ALL' && d.toUpperCase() === 'ALL') {
      return true;
    }
  }
  return false;
}

function addsOnlyAllowed(c: Container): boolean {
  const add = c.securityContext?.capabilities?.add;
  if (!Array.isArray(add)) return true;
  for (let i = 0; i < add.length; i++) if (add[i] !== ALLOWED_ADD) return false;
  return true;
}

const WRONG_CASE_EXPECTED =
  '["ALL"]: Pod Security "restricted" accepts only ALL, in upper case';

const dropAllCapabilitiesCheck: ContainerCheck = {
  check(c, ctx) {
    let problems: Evidence[] | undefined;
    const caps = c.securityContext?.capabilities;
    if (!dropsAll(c)) {
      (problems ??= []).push({
        path: subPath(securityContextPath(ctx.path, 'capabilities'), 'drop'),
        value: caps?.drop,
        expected: dropsAllInWrongCase(c) ? WRONG_CASE_EXPECTED : '["ALL"]',
      });
    }
    if (!addsOnlyAllowed(c)) {
      (problems ??= []).push({
        path: subPath(securityContextPath(ctx.path, 'capabilities'), 'add'),
        value: caps?.add,
        expected: `nothing, or only ${ALLOWED_ADD}`,
      });
    }
    return problems;
  },
  message(names, evidence) {
    // Only the spelling is wrong: say that, not "keeps capabilities".
    if (evidence.every(e => e.expected === WRONG_CASE_EXPECTED)) {
      return `${containersDo(
        names,
        'drops capabilities as',
        'drop capabilities as',
      )} "all" in lower case: Pod Security "restricted" accepts only ALL (upper case), so the pod is refused where restricted is enforced. Write capabilities.drop: [ALL].`;
    }
    return `${containersDo(
      names,
      'keeps Linux capabilities',
      'keep Linux capabilities',
    )}: set capabilities.drop: [ALL] and add back at most ${ALLOWED_ADD}.`;
  },
};

export const containerDropAllCapabilities: ContainerRule = {
  id: 'container-drop-all-capabilities',
  baselineRef: 'PS-05',
  category: 'pod-security',
  severity: 'medium',
  title: 'Containers drop all Linux capabilities',
  rationale:
    'Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID, ...) that most applications never need; dropping ALL removes that attack surface. Adding capabilities back beyond NET_BIND_SERVICE undoes it.',
  remediation: {
    summary:
      'Set securityContext.capabilities.drop: [ALL] on every container; add back only NET_BIND_SERVICE if the process binds a port below 1024.',
    snippet: RESTRICTED_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { when: isLinuxWorkload },
  container: dropAllCapabilitiesCheck,
  // drop: [ALL] is safe; taking away what the container adds is the team's call.
  fix: (w, evidence) => {
    const adds = evidence.filter(e => fieldOf(e.path) === 'add');
    return workloadEvidencePatch(
      w,
      evidence,
      e =>
        fieldOf(e.path) === 'drop'
          ? ['ALL']
          : (Array.isArray(e.value) ? e.value : []).filter(
              c => c === ALLOWED_ADD,
            ),
      adds.length > 0
        ? `Drop ALL capabilities and add back at most ${ALLOWED_ADD}`
        : 'Set capabilities.drop: [ALL] on each offending container',
      adds.length > 0
        ? `The containers add ${adds
            .map(e => JSON.stringify(e.value))
            .join(', ')}: make sure the application runs without them`
        : undefined,
    );
  },
};

// ------------------------------------------------------------------ PS-06

const seccompCheck: ContainerCheck = {
  check(c, ctx) {
    const type = effectiveSecurityField(c, ctx, 'seccompProfile')?.type;
    if (type === 'RuntimeDefault' || type === 'Localhost') return undefined;
    return [
      {
        path: `${effectiveSecurityPath(c, ctx, 'seccompProfile')}.type`,
        value: type,
        expected:
          'RuntimeDefault or Localhost (pod or container securityContext)',
      },
    ];
  },
  message: names =>
    `${containersDo(
      names,
      'runs without a seccomp profile',
      'run without a seccomp profile',
    )}: set seccompProfile.type: RuntimeDefault in the pod securityContext.`,
};

export const containerSeccompProfile: ContainerRule = {
  id: 'container-seccomp-profile',
  baselineRef: 'PS-06',
  category: 'pod-security',
  severity: 'medium',
  title:
    'Containers run with the RuntimeDefault (or a Localhost) seccomp profile',
  rationale:
    'Without a seccomp profile a container runs Unconfined and may call every system call of the node kernel; the runtime default profile blocks the ones used by most container escapes.',
  remediation: {
    summary:
      'Set securityContext.seccompProfile.type: RuntimeDefault at pod level (or Localhost with a profile on the nodes).',
    snippet: RESTRICTED_SNIPPET,
  },
  scope: 'workload',
  source: 'kubernetes',
  appliesTo: { when: isLinuxWorkload },
  container: seccompCheck,
  fix: (w, evidence) =>
    workloadEvidencePatch(
      w,
      evidence,
      () => 'RuntimeDefault',
      'Set seccompProfile.type: RuntimeDefault where each offending container reads it',
    ),
};
