import certificates from '../../__fixtures__/kubernetes/certificates-list.json';
import {
  evaluateRule,
  evaluateRuleDetailed,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import { certificateNotExpiring } from './certificates';

// DEFAULT_TEST_NOW is 2026-01-15T00:00:00Z.
describe('certificate-not-expiring (OP-06)', () => {
  it('is not evaluated on manifests: readiness and expiry are cluster status', () => {
    const manifests = evaluateRuleDetailed(
      certificateNotExpiring,
      makeSnapshot({
        objects: [certificates],
        coverage: { mode: 'manifests' },
      }),
    );
    expect(manifests.outcomes).toEqual([]);
    expect(manifests.skipped).toMatch(/Only evaluated on cluster reads/);
  });

  const outcomes = evaluateRule(
    certificateNotExpiring,
    makeSnapshot({ objects: [certificates] }),
  );

  it('passes a Ready certificate valid for more than 30 days', () => {
    expect(outcomeFor(outcomes, 'myapp-tls', 'shop').status).toBe('pass');
  });

  it('fails a certificate expiring within 30 days', () => {
    expect(outcomeFor(outcomes, 'legacy-tls', 'shop')).toEqual(
      expect.objectContaining({
        status: 'fail',
        message:
          'Certificate legacy-tls expires on 2026-01-25T10:00:00Z, in 10 days (threshold 30)',
        evidence: [
          {
            path: 'status.notAfter',
            value: '2026-01-25T10:00:00Z',
            expected: 'more than 30 days after 2026-01-15T00:00:00.000Z',
          },
        ],
      }),
    );
  });

  it('honours params.certificateExpiryDays', () => {
    const lenient = evaluateRule(
      certificateNotExpiring,
      makeSnapshot({ objects: [certificates] }),
      { params: { certificateExpiryDays: 7 } },
    );
    expect(outcomeFor(lenient, 'legacy-tls', 'shop').status).toBe('pass');
  });

  it('fails a certificate whose Ready condition is False', () => {
    expect(outcomeFor(outcomes, 'orders-tls', 'orders')).toMatchObject({
      status: 'fail',
      message: 'Certificate orders-tls is not Ready (Expired)',
      evidence: [
        { path: 'status.conditions[0].status', value: 'False' },
        {
          path: 'status.conditions[0].message',
          value: 'Certificate expired on Sat, 10 Jan 2026 10:00:00 UTC',
        },
      ],
    });
    expect(outcomeFor(outcomes, 'pay-tls', 'payments').status).toBe('fail');
  });

  it('fails an expired certificate even without a Ready condition', () => {
    const cert = JSON.parse(JSON.stringify(certificates.items[0]));
    cert.status.notAfter = '2026-01-01T00:00:00Z';
    delete cert.status.conditions;
    const [o] = evaluateRule(
      certificateNotExpiring,
      makeSnapshot({ objects: [cert] }),
    );
    expect(o).toMatchObject({
      status: 'fail',
      message: 'Certificate myapp-tls expired on 2026-01-01T00:00:00Z',
    });
  });

  it('is unknown for a certificate not issued yet', () => {
    const cert = JSON.parse(JSON.stringify(certificates.items[4]));
    cert.status.conditions[0].status = 'Unknown';
    const [o] = evaluateRule(
      certificateNotExpiring,
      makeSnapshot({ objects: [cert] }),
    );
    expect(o).toMatchObject({
      status: 'unknown',
      message:
        'Certificate refunds-tls has no status.notAfter: it has not been issued yet',
      evidence: [{ path: 'status.notAfter', value: undefined }],
    });
  });

  it('is not-applicable with the reason when cert-manager is absent', () => {
    const absent = evaluateRule(
      certificateNotExpiring,
      makeSnapshot({
        objects: [certificates],
        coverage: { absentKinds: ['Certificate'] },
      }),
    );
    expect(outcomeFor(absent, 'myapp-tls', 'shop')).toMatchObject({
      status: 'not-applicable',
      message:
        'The Certificate CRD (certificates.cert-manager.io) is not installed in the cluster',
    });
  });

  it('is unknown when Certificates are unreadable', () => {
    const unreadable = evaluateRule(
      certificateNotExpiring,
      makeSnapshot({
        objects: [certificates],
        coverage: { unreadable: { Certificate: '403 Forbidden' } },
      }),
    );
    expect(outcomeFor(unreadable, 'myapp-tls', 'shop').status).toBe('unknown');
  });
});
