/*
 * OP-06: TLS certificates are not about to expire. Read from cert-manager
 * `Certificate.status` (notAfter, Ready condition) only: the seed's
 * `kubectl get secret` check would need Secret contents, which the engine
 * never reads.
 */
import { fail, PASS, unknown } from '../../engine/outcomes';
import { KubeObject } from '../../engine/types';
import { ObjectRule } from '../../engine/rule';

const DAY_MS = 24 * 60 * 60 * 1000;

function readyCondition(
  cert: KubeObject,
): { index: number; c: any } | undefined {
  const conditions = cert.status?.conditions;
  if (!Array.isArray(conditions)) return undefined;
  for (let i = 0; i < conditions.length; i++) {
    if (conditions[i] && conditions[i].type === 'Ready')
      return { index: i, c: conditions[i] };
  }
  return undefined;
}

function daysLeft(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  if (d < 1) return 'less than a day';
  return d === 1 ? '1 day' : `${d} days`;
}

export const certificateNotExpiring: ObjectRule = {
  id: 'certificate-not-expiring',
  baselineRef: 'OP-06',
  category: 'operations',
  severity: 'high',
  title: 'cert-manager Certificates are Ready and not expiring within 30 days',
  rationale:
    'cert-manager renews well before expiry (a third of the lifetime by default); a certificate this close to expiry, or not Ready, means renewal is failing and an outage is coming.',
  remediation: {
    summary:
      "Read why renewal fails (the Certificate's events, its CertificateRequest and Order/Challenge), fix the issuer or DNS/HTTP-01 challenge, then renew.",
    command: `kubectl describe certificate <name> -n <namespace>
kubectl get certificaterequests,orders,challenges -n <namespace>
cmctl renew <name> -n <namespace>`,
  },
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    "Why renewal fails (issuer, DNS or HTTP-01 challenge) is read from the Certificate's events, not from the object.",
  // Readiness and expiry are the status cert-manager writes in the cluster;
  // a Certificate in a manifest has none yet.
  appliesTo: {
    kinds: ['Certificate'],
    modes: ['cluster'],
    when: (cert: KubeObject) =>
      typeof cert.apiVersion !== 'string' ||
      cert.apiVersion.startsWith('cert-manager.io/'),
  },
  reads: ['Certificate'],
  check(cert: KubeObject, ctx) {
    const name = cert.metadata.name;
    const ready = readyCondition(cert);
    if (ready && ready.c.status === 'False') {
      const why = ready.c.reason ? ` (${ready.c.reason})` : '';
      return fail(`Certificate ${name} is not Ready${why}`, [
        {
          path: `status.conditions[${ready.index}].status`,
          value: ready.c.status,
          expected: 'True',
        },
        {
          path: `status.conditions[${ready.index}].message`,
          value: ready.c.message,
        },
      ]);
    }
    const notAfter = cert.status?.notAfter;
    const expiry = typeof notAfter === 'string' ? Date.parse(notAfter) : NaN;
    if (Number.isNaN(expiry)) {
      return unknown(
        `Certificate ${name} has no status.notAfter: it has not been issued yet`,
        [{ path: 'status.notAfter', value: notAfter }],
      );
    }
    const days = ctx.params.certificateExpiryDays;
    const left = expiry - ctx.now.getTime();
    if (left > days * DAY_MS) return PASS;
    const message =
      left <= 0
        ? `Certificate ${name} expired on ${notAfter}`
        : `Certificate ${name} expires on ${notAfter}, in ${daysLeft(
            left,
          )} (threshold ${days})`;
    return fail(message, [
      {
        path: 'status.notAfter',
        value: notAfter,
        expected: `more than ${days} days after ${ctx.now.toISOString()}`,
      },
    ]);
  },
};

export const certificateRules = [certificateNotExpiring];
