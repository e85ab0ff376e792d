import providerClasses from '../../__fixtures__/kubernetes/secretproviderclasses-list.json';
import envWorkloads from '../../__fixtures__/kubernetes/secrets-env-workloads.json';
import { gateRule } from '../../engine/subjects';
import {
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  outcomeFor,
} from '../../testing';
import {
  isLiteralSecret,
  noLiteralSecretsInEnv,
  REDACTED,
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
      gateRule(secretProviderClassWorkloadIdentity as any, snapshot, index),
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
          'Deployment billing sets secret-like environment variables to literal values: DB_PASSWORD (container app), ConnectionStrings__Default (container app)',
        evidence: [
          {
            path: 'spec.template.spec.containers[0].env[1].value',
            value: REDACTED,
            expected: 'valueFrom.secretKeyRef or a Key Vault CSI volume',
          },
          {
            path: 'spec.template.spec.containers[0].env[2].value',
            value: REDACTED,
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
          value: REDACTED,
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
});
