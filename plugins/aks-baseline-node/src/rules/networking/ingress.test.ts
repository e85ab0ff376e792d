import gatewayClasses from '../../__fixtures__/kubernetes/gatewayclasses-list.json';
import gateways from '../../__fixtures__/kubernetes/gateways-list.json';
import ingressClasses from '../../__fixtures__/kubernetes/ingressclasses-list.json';
import ingresses from '../../__fixtures__/kubernetes/ingresses-list.json';
import {
  evaluateRule,
  evaluateRuleDetailed,
  kubeObject,
  makeSnapshot,
  outcomeFor,
} from '../../testUtils';
import {
  familyOfClassName,
  gatewayHttpsListener,
  ingressControllerPresent,
  ingressTlsHttpsRedirect,
  tlsHostCovers,
} from './ingress';

describe('tlsHostCovers', () => {
  it('matches exact hosts and one-label wildcards', () => {
    expect(tlsHostCovers('a.example.com', 'a.example.com')).toBe(true);
    expect(tlsHostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(tlsHostCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(tlsHostCovers('*.example.com', 'example.com')).toBe(false);
    expect(tlsHostCovers('a.example.com', 'b.example.com')).toBe(false);
  });

  it('knows class names without the IngressClass object', () => {
    expect(familyOfClassName('nginx')).toBe('nginx');
    expect(familyOfClassName('azure/application-gateway')).toBe('agic');
    expect(familyOfClassName('traefik')).toBe('other');
  });
});

describe('ingress-tls-https-redirect (NW-06)', () => {
  const outcomes = evaluateRule(
    ingressTlsHttpsRedirect,
    makeSnapshot({ objects: [ingressClasses, ingresses] }),
  );

  it('passes nginx with TLS (redirect is the ingress-nginx default)', () => {
    expect(outcomeFor(outcomes, 'myapp-ingress', 'shop').status).toBe('pass');
  });

  it('passes wildcard TLS covering one-label hosts (app routing class)', () => {
    expect(outcomeFor(outcomes, 'wildcard', 'shop').status).toBe('pass');
  });

  it('passes AGIC with TLS and the ssl-redirect annotation', () => {
    expect(outcomeFor(outcomes, 'agic-redirect', 'payments').status).toBe(
      'pass',
    );
  });

  it('fails nginx with ssl-redirect "false"', () => {
    expect(outcomeFor(outcomes, 'no-redirect', 'shop')).toMatchObject({
      status: 'fail',
      message: 'Ingress no-redirect: HTTP is not redirected to HTTPS',
      evidence: [
        {
          path: 'metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"]',
          value: 'false',
        },
      ],
    });
  });

  it('fails AGIC (legacy class annotation) without the redirect annotation', () => {
    expect(outcomeFor(outcomes, 'agic-no-redirect', 'payments')).toMatchObject({
      status: 'fail',
      message: 'Ingress agic-no-redirect: HTTP is not redirected to HTTPS',
      evidence: [
        {
          path: 'metadata.annotations["appgw.ingress.kubernetes.io/ssl-redirect"]',
          value: undefined,
          expected: '"true"',
        },
      ],
    });
  });

  it('fails hosts missing from spec.tls', () => {
    expect(outcomeFor(outcomes, 'partial-tls', 'orders')).toMatchObject({
      status: 'fail',
      message:
        'Ingress partial-tls: host admin.orders.example.com, a.b.orders.example.com not covered by spec.tls',
      evidence: [
        { path: 'spec.rules[1].host', value: 'admin.orders.example.com' },
        { path: 'spec.rules[2].host', value: 'a.b.orders.example.com' },
      ],
    });
  });

  it('fails an Ingress without TLS', () => {
    expect(outcomeFor(outcomes, 'plain-http', 'orders')).toMatchObject({
      status: 'fail',
      message: 'Ingress plain-http has no spec.tls: it serves HTTP only',
      evidence: [{ path: 'spec.tls', value: undefined }],
    });
  });

  it('uses the default IngressClass when none is named', () => {
    const agicDefault = kubeObject(
      'IngressClass',
      'appgw',
      undefined,
      {
        controller: 'azure/application-gateway',
      },
      {
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
    );
    const ing = kubeObject('Ingress', 'unnamed', 'shop', {
      tls: [{ hosts: ['a.example.com'], secretName: 'a' }],
      rules: [{ host: 'a.example.com' }],
    });
    const [outcome] = evaluateRule(
      ingressTlsHttpsRedirect,
      makeSnapshot({ objects: [agicDefault, ing] }),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      message: 'Ingress unnamed: HTTP is not redirected to HTTPS',
    });
  });
});

describe('gateway-https-listener (NW-06)', () => {
  const outcomes = evaluateRule(
    gatewayHttpsListener,
    makeSnapshot({ objects: [gatewayClasses, gateways] }),
  );

  it('passes the AGC gateway with HTTP and HTTPS listeners', () => {
    expect(outcomeFor(outcomes, 'myapp-gateway', 'default').status).toBe(
      'pass',
    );
  });

  it('fails a gateway with HTTP listeners only', () => {
    expect(outcomeFor(outcomes, 'http-only', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'Gateway http-only has no HTTPS listener with a certificate: it serves its routes in clear text',
      evidence: [
        {
          path: 'spec.listeners[0]',
          value: {
            name: 'http',
            protocol: 'HTTP',
            hostname: 'shop.example.com',
          },
        },
      ],
    });
  });

  it('fails an HTTP hostname without a matching HTTPS listener', () => {
    expect(outcomeFor(outcomes, 'mixed-hosts', 'shop')).toMatchObject({
      status: 'fail',
      message:
        'Gateway mixed-hosts serves hostnames over HTTP without a matching HTTPS listener',
      evidence: [
        {
          path: 'spec.listeners[2]',
          value: { name: 'http-admin', hostname: 'admin.example.com' },
        },
      ],
    });
  });

  it('ignores Istio Gateways', () => {
    const istio = kubeObject(
      'Gateway',
      'istio-gw',
      'shop',
      { servers: [] },
      {
        apiVersion: 'networking.istio.io/v1',
      },
    );
    const result = evaluateRule(
      gatewayHttpsListener,
      makeSnapshot({ objects: [istio] }),
    );
    // makeSnapshot keeps it (same kind name); the rule does not apply.
    expect(result).toEqual([
      expect.objectContaining({ status: 'not-applicable' }),
    ]);
  });
});

describe('ingress-class-present (NW-07)', () => {
  it('passes with an IngressClass', () => {
    const [outcome] = evaluateRule(
      ingressControllerPresent,
      makeSnapshot({ objects: [ingressClasses] }),
    );
    expect(outcome.status).toBe('pass');
  });

  it('passes with a GatewayClass only', () => {
    const [outcome] = evaluateRule(
      ingressControllerPresent,
      makeSnapshot({ objects: [gatewayClasses] }),
    );
    expect(outcome.status).toBe('pass');
  });

  it('fails with neither, naming the absent Gateway API CRD', () => {
    const [outcome] = evaluateRule(
      ingressControllerPresent,
      makeSnapshot({ coverage: { absentKinds: ['GatewayClass', 'Gateway'] } }),
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      message:
        'No IngressClass or GatewayClass exists: no ingress controller is installed',
      evidence: [
        { path: 'IngressClass', value: [] },
        { path: 'GatewayClass', value: 'CRD not installed' },
      ],
    });
  });

  it('is unknown when IngressClasses are unreadable', () => {
    const [outcome] = evaluateRule(
      ingressControllerPresent,
      makeSnapshot({
        objects: [gatewayClasses],
        coverage: { unreadable: { IngressClass: '403 Forbidden' } },
      }),
    );
    expect(outcome).toMatchObject({ status: 'unknown', gated: true });
  });

  it('is unknown without IngressClass when GatewayClasses are unreadable', () => {
    const [outcome] = evaluateRule(
      ingressControllerPresent,
      makeSnapshot({ coverage: { unreadable: { GatewayClass: 'timeout' } } }),
    );
    expect(outcome).toMatchObject({
      status: 'unknown',
      message:
        'No IngressClass exists and GatewayClass objects could not be read: timeout',
    });
  });

  it('is skipped on manifest scans', () => {
    const result = evaluateRuleDetailed(
      ingressControllerPresent,
      makeSnapshot({ coverage: { mode: 'manifests' } }),
    );
    expect(result.skipped).toMatch(/manifests/);
  });
});
