/*
 * ID-06 (SecretProviderClasses use Workload Identity, not the node's
 * identity) and ID-07 (no secrets as literal env values).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject, WorkloadView } from '../../engine/types';
import { ObjectRule, WorkloadRule } from '../../engine/rule';

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

export const secretProviderClassWorkloadIdentity: ObjectRule = {
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
  fixUnavailable:
    "The clientID is the team's managed identity, which only Azure knows.",
  appliesTo: {
    kinds: ['SecretProviderClass'],
    when: (spc: KubeObject) => spc.spec?.provider === 'azure',
  },
  reads: ['SecretProviderClass'],
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
//
// How a literal env value is judged a secret (never printing it):
//
// 1. By its value, whatever the name: a PEM private key block, a storage
//    AccountKey=, a SharedAccessKey= or SAS signature (SharedAccessSignature=,
//    sig=), a password inside a connection string (Password=/Pwd=), a URL with
//    user:password@, a JWT (eyJ….eyJ….…), and well-known token formats
//    (GitHub ghp_/gho_/ghs_/ghu_/ghr_/github_pat_, AWS AKIA/ASIA key ids,
//    Slack xox?-, Stripe sk_live_/rk_live_, Google AIza…).
// 2. By its name, split into words (DB_PASSWORD, dbPassword, db-password all
//    give DB PASSWORD):
//    - a word that names a secret anywhere in the name: PASSWORD, PASSWD,
//      PWD, PASSPHRASE, SECRET, TOKEN, CREDENTIAL(S), CREDS, APIKEY,
//      PRIVATEKEY, CONNSTR, CONNSTRING, CONNECTIONSTRING, SAS, or the pair
//      CONNECTION STRING(S);
//    - PASS, PAT and KEY only as the last word (RABBITMQ_DEFAULT_PASS,
//      GITHUB_PAT, AZURE_BATCH_KEY), and KEY also before CONTENT, DATA,
//      MATERIAL, VALUE, PEM, JSON, B64 or BASE64 (OCI_CLI_KEY_CONTENT); not
//      after PUBLIC, PARTITION, SORT, ROUTING, SHARD, CACHE or IDEMPOTENCY
//      (PUBLIC_KEY, PARTITION_KEY are no secrets);
//    - unless the last word says the variable describes or points at a
//      secret rather than holding it: FILE, PATH, DIR, NAME, URL, URI,
//      ENDPOINT, HOST, PORT, ID, REF, USER, HEADER, AUDIENCE, ISSUER, SCOPE,
//      TTL, TIMEOUT, EXPIRY, LENGTH, SIZE, COUNT, ENABLED, VERSION, TYPE,
//      ALGORITHM, POLICY, MODE, FORMAT, PREFIX, MOUNT, ... (DB_PASSWORD_FILE,
//      KEY_VAULT_NAME, TOKEN_URL, KEY_ID);
//    - and unless the value cannot be a secret: empty, a flag, a number or a
//      duration, a $(VAR) or ${VAR} reference, an absolute path, or a URL
//      without credentials.

/** Words that make a variable name a secret's wherever they stand. */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'APIKEY',
  'PRIVATEKEY',
  'CONNSTR',
  'CONNSTRING',
  'CONNECTIONSTRING',
  'SAS',
]);

/** Words that make a name a secret's only as its last word. */
const LAST_WORDS: ReadonlySet<string> = new Set(['PASS', 'PAT', 'KEY']);

/** What may follow KEY in a name that holds the key itself. */
const KEY_HOLDERS: ReadonlySet<string> = new Set([
  'CONTENT',
  'CONTENTS',
  'DATA',
  'MATERIAL',
  'VALUE',
  'PEM',
  'JSON',
  'B64',
  'BASE64',
]);

/** KEY after these is no secret (a public key, a data key). */
const NON_SECRET_KEYS: ReadonlySet<string> = new Set([
  'PUBLIC',
  'PARTITION',
  'SORT',
  'ROUTING',
  'SHARD',
  'CACHE',
  'IDEMPOTENCY',
]);

/** Last words of names that describe or point at a secret instead of holding it. */
const DESCRIBING_WORDS: ReadonlySet<string> = new Set([
  'FILE',
  'FILES',
  'PATH',
  'DIR',
  'DIRECTORY',
  'MOUNT',
  'NAME',
  'NAMES',
  'URL',
  'URI',
  'ENDPOINT',
  'HOST',
  'PORT',
  'ID',
  'IDS',
  'REF',
  'USER',
  'USERNAME',
  'HEADER',
  'AUDIENCE',
  'ISSUER',
  'SCOPE',
  'SCOPES',
  'TTL',
  'LIFETIME',
  'TIMEOUT',
  'EXPIRY',
  'EXPIRATION',
  'EXPIRES',
  'INTERVAL',
  'DURATION',
  'LENGTH',
  'SIZE',
  'COUNT',
  'ENABLED',
  'DISABLED',
  'ENABLE',
  'DISABLE',
  'REQUIRED',
  'VERSION',
  'TYPE',
  'KIND',
  'ALGORITHM',
  'ALG',
  'POLICY',
  'MODE',
  'FORMAT',
  'PREFIX',
  'SUFFIX',
  'LOCATION',
  'PROVIDER',
  'REGION',
  'ROTATION',
  'STRATEGY',
  'METHOD',
  'LEVEL',
]);

/** A name's words: split on separators and camelCase boundaries, upper-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(w => w !== '')
    .map(w => w.toUpperCase());
}

/**
 * Verdicts of {@link isSecretName} by name: a cluster's containers repeat
 * the same few hundred env names, and splitting a name into words costs
 * microseconds. Names only (never values); emptied when full.
 */
const SECRET_NAME_VERDICTS = new Map<string, boolean>();
const MAX_REMEMBERED_NAMES = 10_000;

/** Whether an env var's name says it holds a secret (decision rules above). */
export function isSecretName(name: string): boolean {
  let verdict = SECRET_NAME_VERDICTS.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name);
    if (SECRET_NAME_VERDICTS.size >= MAX_REMEMBERED_NAMES) {
      SECRET_NAME_VERDICTS.clear();
    }
    SECRET_NAME_VERDICTS.set(name, verdict);
  }
  return verdict;
}

function judgeName(name: string): boolean {
  const words = nameWords(name);
  const n = words.length;
  if (n === 0 || DESCRIBING_WORDS.has(words[n - 1])) return false;
  for (let i = 0; i < n; i++) {
    const w = words[i];
    if (SECRET_WORDS.has(w)) return true;
    if (w === 'CONNECTION' && (words[i + 1] ?? '').startsWith('STRING')) {
      return true;
    }
    if (!LAST_WORDS.has(w)) continue;
    if (i === n - 1 || (w === 'KEY' && KEY_HOLDERS.has(words[i + 1]))) {
      if (w === 'KEY' && i > 0 && NON_SECRET_KEYS.has(words[i - 1])) continue;
      return true;
    }
  }
  return false;
}

/**
 * Values that cannot be a secret: flags, durations and counts
 * (`TOKEN_TTL=3600`, `SECRET_ROTATION_ENABLED=true`), `$(OTHER_VAR)` and
 * `${OTHER_VAR}` references, absolute file paths
 * (`SECRETS_MOUNT=/mnt/secrets-store`) and URLs without credentials
 * (`TOKEN_ISSUER=https://login...`; a URL with `user:pass@` is still a secret).
 */
const NOT_A_SECRET_VALUE =
  /^(true|false|yes|no|on|off|\d+(\.\d+)?[smhd]?|\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[A-Za-z_][A-Za-z0-9_.-]*\}|\/[\w./-]*|https?:\/\/[^@\s]*)$/i;

/**
 * Secret material recognised by its value, with what it is called in
 * findings, and a string every match contains: looked for first, since most
 * values hold none of them and a search for a string costs far less than the
 * pattern (case-insensitive patterns get a character without case).
 */
const SECRET_VALUES: readonly {
  pattern: RegExp;
  what: string;
  contains: string;
}[] = [
  {
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
    what: 'a PEM private key',
    contains: '-----BEGIN ',
  },
  {
    pattern: /(^|;)\s*AccountKey\s*=\s*[^;\s]{8,}/i,
    what: 'a storage account key (AccountKey=)',
    contains: '=',
  },
  {
    pattern: /(^|;)\s*SharedAccessKey\s*=\s*[^;\s]{8,}/i,
    what: 'a shared access key (SharedAccessKey=)',
    contains: '=',
  },
  {
    pattern:
      /SharedAccessSignature\s*=\s*\S|(^|[?&])sig=[A-Za-z0-9%+/=_-]{10,}/i,
    what: 'a shared access signature (SAS)',
    contains: '=',
  },
  {
    pattern: /(^|;)\s*(password|pwd)\s*=\s*(?!\$[({])[^;\s]/i,
    what: 'a password in a connection string',
    contains: '=',
  },
  {
    pattern: /^[a-z][a-z0-9+.:-]*:\/\/[^/\s:@]*:(?!\$[({])[^/\s@]+@/i,
    what: 'a URL with a password',
    contains: '@',
  },
  {
    pattern:
      /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
    what: 'a JSON Web Token',
    contains: 'eyJ',
  },
  {
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/,
    what: 'a GitHub token',
    contains: '_',
  },
  {
    pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
    what: 'an AWS access key id',
    contains: 'IA', // in AKIA and ASIA
  },
  {
    pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
    what: 'a Slack token',
    contains: 'xox',
  },
  {
    pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/,
    what: 'a Stripe live key',
    contains: 'k_live_',
  },
  {
    pattern: /\bAIza[0-9A-Za-z_-]{35}\b/,
    what: 'a Google API key',
    contains: 'AIza',
  },
];

/** What secret material a value holds, if any (a value with none of `=@` under 16 characters holds none). */
function secretValueKind(value: string): string | undefined {
  if (value.length < 16 && value.indexOf('=') < 0 && value.indexOf('@') < 0) {
    return undefined;
  }
  for (let i = 0; i < SECRET_VALUES.length; i++) {
    const { pattern, what, contains } = SECRET_VALUES[i];
    if (value.includes(contains) && pattern.test(value)) return what;
  }
  return undefined;
}

/** Shown instead of the value: findings must never carry it. */
export const REDACTED = '<redacted literal>';

/**
 * Why an env entry holds a literal secret (`a PEM private key`,
 * `a secret-like name`), or undefined when it does not. Never returns or
 * copies the value.
 */
export function literalSecretReason(env: any): string | undefined {
  if (!env || typeof env !== 'object') return undefined;
  if (env.valueFrom !== undefined && env.valueFrom !== null) return undefined;
  const value = env.value;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const byValue = secretValueKind(trimmed);
  if (byValue) return byValue;
  const name = env.name;
  if (typeof name !== 'string' || !isSecretName(name)) return undefined;
  return NOT_A_SECRET_VALUE.test(trimmed) ? undefined : 'a secret-like name';
}

/** Whether an env entry holds a literal secret. */
export function isLiteralSecret(env: any): boolean {
  return literalSecretReason(env) !== undefined;
}

const CONTAINER_FIELDS = ['containers', 'initContainers'] as const;

/** An env entry holding a literal secret. */
interface LiteralSecret {
  field: (typeof CONTAINER_FIELDS)[number];
  container: any;
  containerIndex: number;
  envIndex: number;
  reason: string;
}

/** The env entries of the pod spec's containers and init containers that hold a literal secret. */
function literalSecrets(spec: any): LiteralSecret[] | undefined {
  let found: LiteralSecret[] | undefined;
  for (const field of CONTAINER_FIELDS) {
    const containers = spec[field];
    if (!Array.isArray(containers)) continue;
    for (let i = 0; i < containers.length; i++) {
      const env = containers[i]?.env;
      if (!Array.isArray(env)) continue;
      for (let j = 0; j < env.length; j++) {
        const reason = literalSecretReason(env[j]);
        if (reason === undefined) continue;
        (found ??= []).push({
          field,
          container: containers[i],
          containerIndex: i,
          envIndex: j,
          reason,
        });
      }
    }
  }
  return found;
}

export const noLiteralSecretsInEnv: WorkloadRule = {
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
  fixUnavailable:
    'The secret must move to a Secret or Key Vault first; the engine never handles secret values.',
  check(w: WorkloadView) {
    const spec = w.podSpec;
    if (!spec) return PASS;
    const found = literalSecrets(spec);
    if (!found) return PASS;
    const names: string[] = [];
    const evidence: Evidence[] = [];
    for (const {
      field,
      container,
      containerIndex,
      envIndex,
      reason,
    } of found) {
      const cname =
        typeof container.name === 'string'
          ? container.name
          : `#${containerIndex}`;
      names.push(
        `${container.env[envIndex].name} (container ${cname}: ${reason})`,
      );
      evidence.push({
        path: `${w.podSpecPath}.${field}[${containerIndex}].env[${envIndex}].value`,
        value: `${REDACTED.slice(0, -1)}: ${reason}>`,
        expected: 'valueFrom.secretKeyRef or a Key Vault CSI volume',
      });
    }
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
