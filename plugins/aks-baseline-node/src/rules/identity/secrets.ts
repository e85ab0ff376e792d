/*
 * ID-06 (SecretProviderClasses use Workload Identity, not the node's
 * identity) and ID-07 (no secrets as literal env values).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { FAIL, fail, PASS } from '../../engine/outcomes';
import { KubeObject, RuleDefinition, WorkloadView } from '../../engine/types';

// -------------------------------------------------------------------- ID-06

/** The provider parses these flags with Go's strconv.ParseBool. */
const GO_TRUE: ReadonlySet<string> = new Set([
  '1',
  't',
  'T',
  'true',
  'TRUE',
  'True',
]);

function isTrue(value: unknown): boolean {
  return (
    value === true || (typeof value === 'string' && GO_TRUE.has(value.trim()))
  );
}

export const secretProviderClassWorkloadIdentity: RuleDefinition<'object'> = {
  id: 'secret-provider-class-workload-identity',
  baselineRef: 'ID-06',
  category: 'identity',
  severity: 'high',
  title:
    "Azure Key Vault SecretProviderClasses authenticate with Workload Identity (clientID), not the node's VM identity",
  rationale:
    "With useVMManagedIdentity every pod on the node can use the kubelet's identity to read the vault; Workload Identity scopes access to one ServiceAccount.",
  remediation: {
    summary:
      'Set useVMManagedIdentity and usePodIdentity to "false" and clientID to the Workload Identity client id federated to the pod\'s ServiceAccount.',
    snippet: `apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: azure-keyvault-workload-identity
spec:
  provider: azure
  parameters:
    usePodIdentity: "false"
    useVMManagedIdentity: "false"
    clientID: "\${CLIENT_ID}" # Workload Identity Client ID
    keyvaultName: "myKeyVault"
    cloudName: ""
    objects: |
      array:
        - |
          objectName: database-password
          objectType: secret
    tenantId: "your-tenant-id"`,
  },
  scope: 'object',
  source: 'kubernetes',
  kinds: ['SecretProviderClass'],
  reads: ['SecretProviderClass'],
  appliesTo: (spc: KubeObject) => spc.spec?.provider === 'azure',
  check(spc: KubeObject) {
    const params = spc.spec?.parameters ?? {};
    const name = spc.metadata.name;
    if (isTrue(params.useVMManagedIdentity)) {
      return fail(
        `SecretProviderClass ${name} reads Key Vault with the node's VM managed identity (useVMManagedIdentity: "true")`,
        [
          {
            path: 'spec.parameters.useVMManagedIdentity',
            value: params.useVMManagedIdentity,
            expected:
              '"false", with clientID set to a Workload Identity client id',
          },
        ],
      );
    }
    if (isTrue(params.usePodIdentity)) {
      return fail(
        `SecretProviderClass ${name} uses legacy pod-managed identity (usePodIdentity: "true")`,
        [
          {
            path: 'spec.parameters.usePodIdentity',
            value: params.usePodIdentity,
            expected:
              '"false", with clientID set to a Workload Identity client id',
          },
        ],
      );
    }
    const clientID = params.clientID;
    if (typeof clientID === 'string' && clientID.trim() !== '') return PASS;
    return fail(
      `SecretProviderClass ${name} sets no clientID: without Workload Identity the provider falls back to a service principal secret`,
      [
        {
          path: 'spec.parameters.clientID',
          value: clientID,
          expected: 'the Workload Identity client id',
        },
      ],
    );
  },
};

// -------------------------------------------------------------------- ID-07

/** Env names that usually hold a secret. */
export const SECRET_NAME_PATTERN =
  /(password|passwd|secret|token|api[_-]?key|connection[_-]?string|private[_-]?key|client[_-]?secret)/i;

/**
 * Names that point at a secret rather than hold one (`DB_PASSWORD_FILE`,
 * `KEYVAULT_SECRET_NAME`, `TOKEN_URL`, the webhook's
 * `AZURE_FEDERATED_TOKEN_FILE`): not flagged.
 */
const REFERENCE_SUFFIX = /[_.-](file|path|dir|name|url|uri|endpoint)$/i;

/**
 * Values that cannot be a secret: flags, durations and counts
 * (`TOKEN_TTL=3600`, `SECRET_ROTATION_ENABLED=true`), `$(OTHER_VAR)`
 * references, absolute file paths (`SECRETS_MOUNT=/mnt/secrets-store`) and
 * URLs without credentials (`TOKEN_ISSUER=https://login...`; a URL with
 * `user:pass@` is still flagged).
 */
const NOT_A_SECRET_VALUE =
  /^(true|false|yes|no|on|off|\d+(\.\d+)?[smhd]?|\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\/[\w./-]*|https?:\/\/[^@\s]*)$/i;

/** Shown instead of the value: findings must never carry it. */
export const REDACTED = '<redacted literal>';

/** Whether an env entry holds a literal secret (never looks at more than it must). */
export function isLiteralSecret(env: any): boolean {
  if (!env || typeof env !== 'object') return false;
  if (env.valueFrom !== undefined && env.valueFrom !== null) return false;
  // Name first: most variables stop at one regex test, without allocating.
  const name = env.name;
  if (typeof name !== 'string' || !SECRET_NAME_PATTERN.test(name)) return false;
  if (REFERENCE_SUFFIX.test(name)) return false;
  const value = env.value;
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return trimmed !== '' && !NOT_A_SECRET_VALUE.test(trimmed);
}

const CONTAINER_FIELDS = ['containers', 'initContainers'] as const;

/**
 * Calls `visit` with each env entry of the pod spec's containers and init
 * containers that holds a literal secret, until it returns true; returns
 * whether there was any.
 */
function visitLiteralSecrets(
  spec: any,
  visit: (
    field: (typeof CONTAINER_FIELDS)[number],
    container: any,
    containerIndex: number,
    envIndex: number,
  ) => boolean,
): boolean {
  let any = false;
  for (const field of CONTAINER_FIELDS) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const env = containers[i]?.env;
      if (!Array.isArray(env)) continue;
      for (let j = 0; j < env.length; j++) {
        if (!isLiteralSecret(env[j])) continue;
        any = true;
        if (visit(field, containers[i], i, j)) return true;
      }
    }
  }
  return any;
}

/** Stops at the first literal secret (deciding needs no more). */
const STOP = () => true;

export const noLiteralSecretsInEnv: RuleDefinition<'workload'> = {
  id: 'container-no-literal-secret-env',
  baselineRef: 'ID-07',
  category: 'identity',
  severity: 'high',
  title: 'No secrets as literal environment values in pod specs',
  rationale:
    'A literal env value is stored in the manifest, in Git and in etcd, and readable by anyone who can read the workload; secrets belong in Key Vault or a Secret referenced by secretKeyRef.',
  remediation: {
    summary:
      'Move the value to Key Vault (Secrets Store CSI driver) or a Secret and reference it with valueFrom.secretKeyRef.',
    snippet: `apiVersion: v1
kind: Pod
metadata:
  name: app-with-secrets
spec:
  containers:
  - name: app
    image: myapp:1.0
    volumeMounts:
    - name: secrets-store
      mountPath: "/mnt/secrets-store"
      readOnly: true
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef:
          name: database-credentials
          key: database-password
  volumes:
  - name: secrets-store
    csi:
      driver: secrets-store.csi.k8s.io
      readOnly: true
      volumeAttributes:
        secretProviderClass: "azure-keyvault"`,
  },
  scope: 'workload',
  source: 'kubernetes',
  check(w: WorkloadView, ctx) {
    const spec = w.podSpec;
    if (!spec) return PASS;
    if (ctx.outcomeOnly) return visitLiteralSecrets(spec, STOP) ? FAIL : PASS;
    const names: string[] = [];
    const evidence: Evidence[] = [];
    visitLiteralSecrets(spec, (field, c, i, j) => {
      const cname = typeof c.name === 'string' ? c.name : `#${i}`;
      names.push(`${c.env[j].name} (container ${cname})`);
      evidence.push({
        path: `${w.podSpecPath}.${field}[${i}].env[${j}].value`,
        value: REDACTED,
        expected: 'valueFrom.secretKeyRef or a Key Vault CSI volume',
      });
      return false;
    });
    if (names.length === 0) return PASS;
    // Names only: the values are never copied into a finding.
    return fail(
      `${w.kind} ${
        w.name
      } sets secret-like environment variables to literal values: ${names.join(
        ', ',
      )}`,
      evidence,
    );
  },
};

export const secretRules = [
  secretProviderClassWorkloadIdentity,
  noLiteralSecretsInEnv,
];
