import providerClasses from '../../__fixtures__/kubernetes/secretproviderclasses-list.json';
import envWorkloads from '../../__fixtures__/kubernetes/secrets-env-workloads.json';
import ordersWorker from '../../__fixtures__/kubernetes/secrets-env-more-workloads.json';
import { gateRule } from '../../engine/subjects';
import { partsOf } from '../../engine/rule-parts';
import {
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import {
  isLiteralSecret,
  isSecretName,
  literalSecretReason,
  noLiteralSecretsInEnv,
  secretProviderClassWorkloadIdentity,
} from './secrets';

describe('secret-provider-class-workload-identity (ID-06)', () => {
  const outcomes = evaluateRule(
    secretProviderClassWorkloadIdentity,
    makeSnapshot({ objects: [providerClasses] }),
  );

  it('passes a Workload Identity SecretProviderClass', () => {
    expect(
      outcomeFor(outcomes, 'azure-keyvault-workload-identity', 'shop').status,
    ).toBe('pass');
  });

  it("fails the node's VM managed identity", () => {
    expect(outcomeFor(outcomes, 'azure-keyvault', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'SecretProviderClass azure-keyvault reads Key Vault with the node\'s VM managed identity (useVMManagedIdentity: "true")',
      evidence: [
        { path: 'spec.parameters.useVMManagedIdentity', value: 'true' },
      ],
    });
  });

  it('fails legacy pod identity', () => {
    expect(
      outcomeFor(outcomes, 'azure-keyvault-pod-identity', 'payments'),
    ).toMatchObject({
      status: 'fail',
      evidence: [{ path: 'spec.parameters.usePodIdentity', value: 'true' }],
    });
  });

  it('fails without clientID', () => {
    expect(
      outcomeFor(outcomes, 'azure-keyvault-no-identity', 'orders'),
    ).toMatchObject({
      status: 'fail',
      message:
        'SecretProviderClass azure-keyvault-no-identity sets no clientID: without Workload Identity the provider falls back to a service principal secret',
      evidence: [{ path: 'spec.parameters.clientID', value: undefined }],
    });
  });

  it('does not apply to other providers', () => {
    expect(outcomeFor(outcomes, 'vault-database', 'orders').status).toBe(
      'not-applicable',
    );
  });

  it('is not-applicable, with the reason, when the CRD is absent', () => {
    const snapshot = makeSnapshot({
      coverage: { absentKinds: ['SecretProviderClass'] },
    });
    const { index } = evaluateRuleDetailed(
      secretProviderClassWorkloadIdentity,
      snapshot,
    );
    // No object is a subject; the engine reports the rule-level gate.
    expect(
      gateRule(partsOf(secretProviderClassWorkloadIdentity), snapshot, index),
    ).toEqual({
      action: 'not-applicable',
      kind: 'SecretProviderClass',
      message:
        'The SecretProviderClass CRD (secretproviderclasses.secrets-store.csi.x-k8s.io) is not installed in the cluster',
    });
  });
});

describe('container-no-literal-secret-env (ID-07)', () => {
  const SECRETS = [
    'Sup3r-S3cret-Db-Pa55!',
    'sk_live_51HqJxKZvKYlo2C9QwErTy',
    'Pl41nT3xtP@ss',
  ];
  const outcomes = evaluateRule(
    noLiteralSecretsInEnv,
    makeSnapshot({ objects: [envWorkloads] }),
  );

  it('fails literal secret-like env values, naming the variables only', () => {
    expect(outcomeFor(outcomes, 'billing', 'billing')).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Deployment billing sets secret-like environment variables to literal values: DB_PASSWORD (container app: a secret-like name), ConnectionStrings__Default (container app: a password in a connection string)',
        evidence: [
          {
            path: 'spec.template.spec.containers[0].env[1].value',
            value: '<redacted literal: a secret-like name>',
            expected: 'valueFrom.secretKeyRef or a Key Vault CSI volume',
          },
          {
            path: 'spec.template.spec.containers[0].env[2].value',
            value: '<redacted literal: a password in a connection string>',
            expected: 'valueFrom.secretKeyRef or a Key Vault CSI volume',
          },
        ],
      }),
    );
  });

  it('checks init containers of CronJobs', () => {
    expect(outcomeFor(outcomes, 'nightly-export', 'billing')).toMatchObject({
      status: 'fail',
      evidence: [
        {
          path: 'spec.jobTemplate.spec.template.spec.initContainers[0].env[0].value',
          value: '<redacted literal: a Stripe live key>',
        },
      ],
    });
  });

  it('passes secretKeyRef, references, flags and empty values', () => {
    expect(outcomeFor(outcomes, 'app-with-secrets', 'billing').status).toBe(
      'pass',
    );
    expect(isLiteralSecret({ name: 'DB_PASSWORD_FILE', value: '/mnt/x' })).toBe(
      false,
    );
    expect(
      isLiteralSecret({ name: 'SECRET_ROTATION_ENABLED', value: 'true' }),
    ).toBe(false);
    expect(isLiteralSecret({ name: 'TOKEN_TTL', value: '3600' })).toBe(false);
    expect(
      isLiteralSecret({ name: 'SECRETS_MOUNT', value: '/mnt/secrets-store' }),
    ).toBe(false);
    expect(
      isLiteralSecret({
        name: 'TOKEN_ISSUER',
        value: 'https://login.microsoftonline.com/x/v2.0',
      }),
    ).toBe(false);
    expect(
      isLiteralSecret({
        name: 'CONNECTION_STRING',
        value: 'amqps://user:s3cr3t@bus.example.com',
      }),
    ).toBe(true);
    expect(
      isLiteralSecret({
        name: 'GITHUB_TOKEN',
        value: 'https://u:p@github.com',
      }),
    ).toBe(true);
    expect(isLiteralSecret({ name: 'client_secret', value: 'abc' })).toBe(true);
    expect(isLiteralSecret({ name: 'MY-API-KEY', value: 'abc' })).toBe(true);
  });

  it('never puts a secret value into a finding', () => {
    const serialised = JSON.stringify(outcomes);
    for (const secret of SECRETS) expect(serialised).not.toContain(secret);
    // The fixture does carry them (spec and last-applied annotation).
    const fixture = JSON.stringify(envWorkloads);
    for (const secret of SECRETS) expect(fixture).toContain(secret);
  });

  describe('names and values the first heuristics missed', () => {
    const worker = evaluateRule(
      noLiteralSecretsInEnv,
      makeSnapshot({ objects: [ordersWorker] }),
    )[0];
    const env = ordersWorker.spec.template.spec.containers[0].env;
    const flagged = (worker.evidence ?? []).map(e => {
      const index = Number(/env\[(\d+)\]/.exec(e.path)![1]);
      return [env[index].name, e.value];
    });

    it('flags them, saying which pattern matched', () => {
      expect(worker.status).toBe('fail');
      expect(flagged).toEqual([
        ['RABBITMQ_DEFAULT_PASS', '<redacted literal: a secret-like name>'],
        ['AZURE_BATCH_KEY', '<redacted literal: a secret-like name>'],
        ['OCI_CLI_KEY_CONTENT', '<redacted literal: a secret-like name>'],
        ['SIGNING_MATERIAL', '<redacted literal: a PEM private key>'],
        [
          'BLOB_STORE',
          '<redacted literal: a storage account key (AccountKey=)>',
        ],
        [
          'EXPORT_TARGET',
          '<redacted literal: a shared access signature (SAS)>',
        ],
        ['UPSTREAM_AUTH', '<redacted literal: a JSON Web Token>'],
        ['DATABASE_URL', '<redacted literal: a URL with a password>'],
      ]);
      expect(worker.message).toContain(
        'SIGNING_MATERIAL (container worker: a PEM private key)',
      );
    });

    it('leaves names that point at or describe a secret, and values that are none', () => {
      const names = flagged.map(([name]) => name);
      for (const name of [
        'RABBITMQ_DEFAULT_USER',
        'KEY_VAULT_NAME',
        'PUBLIC_KEY_URL',
        'TOKEN_URL',
        'PASSWORD_FILE',
        'PARTITION_KEY',
        'PUBLIC_KEY',
        'CACHE_KEY',
        'NODE_OPTIONS',
      ]) {
        expect(names).not.toContain(name);
      }
    });

    it('never carries a value into the finding', () => {
      const serialised = JSON.stringify([worker.message, worker.evidence]);
      const values = env.map(e => e.value).filter(v => v.length > 8);
      expect(values.filter(v => serialised.includes(v))).toEqual([]);
      expect(serialised).not.toContain('s3cr3t-pw');
      expect(serialised).not.toContain('BEGIN RSA');
    });

    it.each([
      ['DB_PASSWD', true],
      ['dbPassword', true],
      ['db-pwd', true],
      ['SQL_CONNSTR', true],
      ['STORAGE_SAS', true],
      ['GITHUB_PAT', true],
      ['GOOGLE_KEY_JSON', true],
      ['SSH_PRIVATE_KEY', true],
      ['ServiceBus__ConnectionString', true],
      ['PASS_THROUGH_HEADERS', false],
      ['BYPASS', false],
      ['KEYCLOAK_URL', false],
      ['ENCRYPTION_KEY_ID', false],
      ['SORT_KEY', false],
      ['TOKEN_AUDIENCE', false],
      ['CSRF_TOKEN_HEADER', false],
      ['PASSWORD_MIN_LENGTH', false],
    ])('name %s is secret-like: %p', (name, expected) => {
      expect(isSecretName(name)).toBe(expected);
    });

    it('recognises well-known token formats under any name', () => {
      expect(
        literalSecretReason({
          name: 'GH',
          value: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
        }),
      ).toBe('a GitHub token');
      expect(
        literalSecretReason({ name: 'AWS', value: 'AKIAIOSFODNN7EXAMPLE' }),
      ).toBe('an AWS access key id');
      expect(
        literalSecretReason({
          name: 'BUS',
          value:
            'Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=Zm9yLXRlc3RzLW9ubHk=',
        }),
      ).toBe('a shared access key (SharedAccessKey=)');
      // A reference inside a URL or a connection string is no literal.
      expect(
        literalSecretReason({
          name: 'DATABASE_URL',
          value: 'postgres://orders:$(DB_PASSWORD)@db:5432/orders',
        }),
      ).toBeUndefined();
      expect(
        literalSecretReason({ name: 'DB_PASSWORD', value: '${DB_PASSWORD}' }),
      ).toBeUndefined();
    });
  });
});
