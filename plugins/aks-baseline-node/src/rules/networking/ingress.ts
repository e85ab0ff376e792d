/*
 * NW-06 (Ingress and Gateway terminate TLS and redirect to HTTPS) and the
 * Kubernetes part of NW-07 (an ingress controller is installed).
 */
import { Evidence } from '@aks-baseline/plugin-aks-baseline-common';
import { fail, notApplicable, PASS, unknown } from '../../engine/outcomes';
import { KubeObject, ObjectIndex } from '../../engine/types';
import { KubernetesClusterRule, ObjectRule } from '../../engine/rule';
import { optionalReads } from '../../engine/rule-parts';

// ------------------------------------------------------------------ Ingress

/** Which controller serves an Ingress, as far as redirects are concerned. */
export type IngressFamily = 'nginx' | 'agic' | 'other';

const NGINX_SSL_REDIRECT = 'nginx.ingress.kubernetes.io/ssl-redirect';
const NGINX_FORCE_SSL_REDIRECT =
  'nginx.ingress.kubernetes.io/force-ssl-redirect';
const AGIC_SSL_REDIRECT = 'appgw.ingress.kubernetes.io/ssl-redirect';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** From an IngressClass's `spec.controller`. */
export function familyOfController(controller: unknown): IngressFamily {
  if (typeof controller !== 'string') return 'other';
  // ingress-nginx (`k8s.io/ingress-nginx`) and the AKS application routing
  // add-on (`webapprouting.kubernetes.azure.com/nginx`), which is ingress-nginx.
  if (controller === 'k8s.io/ingress-nginx') return 'nginx';
  if (controller.startsWith('webapprouting.kubernetes.azure.com'))
    return 'nginx';
  if (controller === 'azure/application-gateway') return 'agic';
  return 'other';
}

/** From a class name alone, when the IngressClass object is not available. */
export function familyOfClassName(name: string): IngressFamily {
  if (
    name === 'nginx' ||
    name.startsWith('webapprouting.kubernetes.azure.com')
  ) {
    return 'nginx';
  }
  if (
    name === 'azure/application-gateway' ||
    name === 'azure-application-gateway'
  ) {
    return 'agic';
  }
  return 'other';
}

/**
 * The controller family of an Ingress: `spec.ingressClassName`, else the
 * legacy `kubernetes.io/ingress.class` annotation, else the default
 * IngressClass; the class's `spec.controller` when the IngressClass is known.
 */
export function ingressFamily(
  ingress: KubeObject,
  index: ObjectIndex,
): IngressFamily {
  const className =
    ingress.spec?.ingressClassName ??
    ingress.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (typeof className === 'string' && className !== '') {
    const cls = index.get('IngressClass', undefined, className);
    if (cls) return familyOfController(cls.spec?.controller);
    return familyOfClassName(className);
  }
  const classes = index.ofKind('IngressClass');
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    if (c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true') {
      return familyOfController(c.spec?.controller);
    }
  }
  return 'other';
}

/** Whether a TLS host entry covers a rule host (`*.example.com` covers one label). */
export function tlsHostCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (tlsHost.startsWith('*.')) {
    const suffix = tlsHost.slice(1); // `.example.com`
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, host.length - suffix.length);
    return label.length > 0 && label.indexOf('.') < 0 && label !== '*';
  }
  return false;
}

function tlsCoversHost(tls: any[], host: string): boolean {
  for (let i = 0; i < tls.length; i++) {
    const hosts = tls[i]?.hosts;
    if (!Array.isArray(hosts)) continue;
    for (let j = 0; j < hosts.length; j++) {
      if (typeof hosts[j] === 'string' && tlsHostCovers(hosts[j], host)) {
        return true;
      }
    }
  }
  return false;
}

/** Hosts of `spec.rules` that no `spec.tls[].hosts` entry covers (undefined when all are). */
function uncoveredHosts(
  rules: unknown,
  tls: any[],
): { host: string; index: number }[] | undefined {
  if (!Array.isArray(rules)) return undefined;
  let out: { host: string; index: number }[] | undefined;
  for (let i = 0; i < rules.length; i++) {
    const host = rules[i]?.host;
    // A rule without host is the catch-all; it is served with the
    // controller's default certificate once TLS is configured: not judged.
    if (typeof host !== 'string' || host === '') continue;
    if (!tlsCoversHost(tls, host)) (out ??= []).push({ host, index: i });
  }
  return out;
}

const TRUE_STRINGS: ReadonlySet<string> = new Set(['true', 'True', 'TRUE']);

/**
 * Whether HTTP is redirected to HTTPS, or undefined when the controller is
 * not one we know. ingress-nginx redirects by default once an Ingress has
 * TLS (`ssl-redirect` defaults to true), so only an explicit "false"
 * without `force-ssl-redirect` fails; AGIC does not redirect unless
 * annotated.
 */
export function redirectsToHttps(
  family: IngressFamily,
  annotations: Record<string, string> | undefined,
): { ok: boolean; evidence: Evidence } | undefined {
  if (family === 'nginx') {
    const force = annotations?.[NGINX_FORCE_SSL_REDIRECT];
    if (force !== undefined && TRUE_STRINGS.has(force)) return undefined;
    const redirect = annotations?.[NGINX_SSL_REDIRECT];
    if (redirect === undefined || TRUE_STRINGS.has(redirect)) return undefined;
    return {
      ok: false,
      evidence: {
        path: `metadata.annotations["${NGINX_SSL_REDIRECT}"]`,
        value: redirect,
        expected: `"true" (the default) or ${NGINX_FORCE_SSL_REDIRECT}: "true"`,
      },
    };
  }
  if (family === 'agic') {
    const redirect = annotations?.[AGIC_SSL_REDIRECT];
    if (redirect !== undefined && TRUE_STRINGS.has(redirect)) return undefined;
    return {
      ok: false,
      evidence: {
        path: `metadata.annotations["${AGIC_SSL_REDIRECT}"]`,
        value: redirect,
        expected: '"true"',
      },
    };
  }
  return undefined;
}

export const ingressTlsHttpsRedirect: ObjectRule = {
  id: 'ingress-tls-https-redirect',
  baselineRef: 'NW-06',
  category: 'networking',
  severity: 'high',
  title: 'Ingress terminates TLS for every host and redirects HTTP to HTTPS',
  rationale:
    'An Ingress without TLS for a host serves it in clear text; without a redirect, clients that start on http:// stay there.',
  remediation: {
    summary:
      'List every rule host under spec.tls (a cert-manager issuer annotation issues the certificate) and turn on the controller\'s HTTPS redirect (`appgw.ingress.kubernetes.io/ssl-redirect: "true"` for AGIC; ingress-nginx redirects unless `ssl-redirect` is "false").',
    snippet: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: myapp-ingress
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt-prod
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - myapp.example.com
    secretName: myapp-tls
  rules:
  - host: myapp.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: myapp
            port:
              number: 80`,
  },
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    "The certificate (its Secret or Key Vault reference) and the controller's redirect annotation depend on the team's hosts and ingress controller.",
  reads: optionalReads('IngressClass'),
  appliesTo: { kinds: ['Ingress'] },
  check(ingress: KubeObject, ctx) {
    const spec = ingress.spec ?? {};
    const tls = spec.tls;
    const name = ingress.metadata.name;
    if (!Array.isArray(tls) || tls.length === 0) {
      return fail(`Ingress ${name} has no spec.tls: it serves HTTP only`, [
        {
          path: 'spec.tls',
          value: tls,
          expected: 'a TLS entry listing every rule host',
        },
      ]);
    }
    const missing = uncoveredHosts(spec.rules, tls);
    const redirect = redirectsToHttps(
      ingressFamily(ingress, ctx.index),
      ingress.metadata.annotations,
    );
    if (!missing && !redirect) return PASS;
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    if (missing) {
      const hosts: string[] = [];
      for (const m of missing) {
        hosts.push(m.host);
        evidence.push({
          path: `spec.rules[${m.index}].host`,
          value: m.host,
          expected: 'listed in spec.tls[].hosts',
        });
      }
      problems.push(`host ${hosts.join(', ')} not covered by spec.tls`);
    }
    if (redirect) {
      evidence.push(redirect.evidence);
      problems.push('HTTP is not redirected to HTTPS');
    }
    return fail(`Ingress ${name}: ${problems.join('; ')}`, evidence);
  },
};

// ------------------------------------------------------------------ Gateway

function isTlsListener(listener: any): boolean {
  if (!listener || typeof listener !== 'object') return false;
  if (listener.protocol === 'HTTPS') {
    // mode defaults to Terminate, which needs a certificate.
    const refs = listener.tls?.certificateRefs;
    return Array.isArray(refs) && refs.length > 0;
  }
  // TLS passthrough: the backend terminates TLS.
  return listener.protocol === 'TLS';
}

function hostnameCovered(listeners: any[], hostname: unknown): boolean {
  for (let i = 0; i < listeners.length; i++) {
    const l = listeners[i];
    if (!isTlsListener(l)) continue;
    const h = l.hostname;
    // A TLS listener without hostname serves every hostname.
    if (typeof h !== 'string' || h === '') return true;
    if (
      typeof hostname === 'string' &&
      (h === hostname || tlsHostCovers(h, hostname))
    ) {
      return true;
    }
  }
  return false;
}

export const gatewayHttpsListener: ObjectRule = {
  id: 'gateway-https-listener',
  baselineRef: 'NW-06',
  category: 'networking',
  severity: 'high',
  title: 'Gateway has an HTTPS listener for every hostname it serves over HTTP',
  rationale:
    'A Gateway API Gateway (Application Gateway for Containers) without an HTTPS listener serves its routes in clear text.',
  remediation: {
    summary:
      'Add an HTTPS listener with `tls.mode: Terminate` and a certificate reference for each hostname, and redirect the HTTP listener with an HTTPRoute RequestRedirect filter (scheme https).',
    snippet: `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: myapp-gateway
  namespace: default
  annotations:
    alb.networking.azure.io/alb-id: alb-demo
spec:
  gatewayClassName: azure-alb-external
  listeners:
  - name: https-listener
    protocol: HTTPS
    port: 443
    tls:
      mode: Terminate
      certificateRefs:
      - kind: Secret
        name: myapp-tls
    allowedRoutes:
      namespaces:
        from: Same`,
  },
  scope: 'object',
  source: 'kubernetes',
  fixUnavailable:
    "An HTTPS listener needs the hostname's certificate, which only the team can name.",
  appliesTo: {
    kinds: ['Gateway'],
    when: (gw: KubeObject) =>
      typeof gw.apiVersion !== 'string' ||
      gw.apiVersion.startsWith('gateway.networking.k8s.io/'),
  },
  check(gw: KubeObject) {
    const listeners = gw.spec?.listeners;
    const name = gw.metadata.name;
    if (!Array.isArray(listeners) || listeners.length === 0) {
      return fail(`Gateway ${name} has no listeners`, [
        {
          path: 'spec.listeners',
          value: listeners,
          expected: 'an HTTPS listener',
        },
      ]);
    }
    let anyTls = false;
    let evidence: Evidence[] | undefined;
    for (let i = 0; i < listeners.length; i++) {
      const l = listeners[i];
      if (isTlsListener(l)) {
        anyTls = true;
        continue;
      }
      if (l?.protocol === 'HTTPS') {
        (evidence ??= []).push({
          path: `spec.listeners[${i}].tls.certificateRefs`,
          value: l.tls?.certificateRefs,
          expected: 'a certificate reference',
        });
      } else if (
        l?.protocol === 'HTTP' &&
        !hostnameCovered(listeners, l.hostname)
      ) {
        (evidence ??= []).push({
          path: `spec.listeners[${i}]`,
          value: { name: l.name, protocol: l.protocol, hostname: l.hostname },
          expected: 'an HTTPS listener for the same hostname',
        });
      }
    }
    if (anyTls && !evidence) return PASS;
    if (!anyTls) {
      return fail(
        `Gateway ${name} has no HTTPS listener with a certificate: it serves its routes in clear text`,
        evidence ?? [
          {
            path: 'spec.listeners[].protocol',
            value: listeners.map((l: any) => l?.protocol),
            expected: 'HTTPS with tls.certificateRefs',
          },
        ],
      );
    }
    return fail(
      `Gateway ${name} serves hostnames over HTTP without a matching HTTPS listener`,
      evidence,
    );
  },
};

// ------------------------------------------------------ Ingress controller

export const ingressControllerPresent: KubernetesClusterRule = {
  id: 'ingress-class-present',
  baselineRef: 'NW-07',
  category: 'networking',
  severity: 'low',
  title:
    'An ingress controller is installed (IngressClass or Gateway API GatewayClass)',
  rationale:
    'Without an ingress controller every exposed application needs its own LoadBalancer Service and handles TLS itself.',
  remediation: {
    summary:
      'Install ingress-nginx (or enable the application routing add-on, AGIC, or Application Gateway for Containers).',
    command: `helm install ingress-nginx ingress-nginx/ingress-nginx \\
  --namespace ingress-nginx \\
  --create-namespace \\
  --set controller.replicaCount=2 \\
  --set controller.nodeSelector."kubernetes\\.io/os"=linux \\
  --set controller.service.annotations."service\\.beta\\.kubernetes\\.io/azure-load-balancer-health-probe-request-path"=/healthz \\
  --set controller.service.externalTrafficPolicy=Local`,
  },
  scope: 'cluster',
  source: 'kubernetes',
  fixUnavailable:
    'Installing an ingress controller is a platform decision (application routing add-on, Application Gateway, another controller), not a change to one object.',
  // GatewayClass's CRD may be absent: optional, since gating on it would
  // make the whole rule not-applicable without it.
  reads: ['IngressClass', ...optionalReads('GatewayClass')],
  check(_cluster, ctx) {
    if (ctx.index.ofKind('IngressClass').length > 0) return PASS;
    const gatewayStatus = ctx.index.kindStatus('GatewayClass');
    if (
      gatewayStatus === 'read' &&
      ctx.index.ofKind('GatewayClass').length > 0
    ) {
      return PASS;
    }
    if (gatewayStatus === 'unreadable') {
      return unknown(
        `No IngressClass exists and ${ctx.index.kindReason('GatewayClass')}`,
      );
    }
    if (gatewayStatus === 'not-provided') {
      return notApplicable(ctx.index.kindReason('GatewayClass')!);
    }
    return fail(
      'No IngressClass or GatewayClass exists: no ingress controller is installed',
      [
        {
          path: 'IngressClass',
          value: [],
          expected: 'at least one IngressClass',
        },
        {
          path: 'GatewayClass',
          value: gatewayStatus === 'absent' ? 'CRD not installed' : [],
          expected: 'or a Gateway API GatewayClass',
        },
      ],
    );
  },
};

export const ingressRules = [
  ingressTlsHttpsRedirect,
  gatewayHttpsListener,
  ingressControllerPresent,
];
