/*
 * NW-05: LoadBalancer Services get an internal Azure load balancer unless
 * they are explicitly meant to be public.
 */
import { fail, PASS } from '../../engine/outcomes';
import { KubeObject } from '../../engine/types';
import { ObjectRule } from '../../engine/rule';
import { metadataMapPatch, targetOf } from '../shared/fixes';

export const AZURE_INTERNAL_LB_ANNOTATION =
  'service.beta.kubernetes.io/azure-load-balancer-internal';

/**
 * Our own opt-out: `aks-baseline.io/public: "true"` on a Service records that
 * its public load balancer is intended (an ingress controller's Service, a
 * public API). The finding disappears instead of needing a waiver; reviewers
 * can grep for the annotation.
 */
export const PUBLIC_SERVICE_ANNOTATION = 'aks-baseline.io/public';

export const serviceInternalLoadBalancer: ObjectRule = {
  id: 'service-internal-load-balancer',
  baselineRef: 'NW-05',
  category: 'networking',
  severity: 'high',
  title: 'LoadBalancer Services use an internal Azure load balancer',
  rationale:
    'A LoadBalancer Service without the internal annotation gets a public IP on the Azure load balancer and is reachable from the internet.',
  remediation: {
    summary: `Annotate the Service with \`${AZURE_INTERNAL_LB_ANNOTATION}: "true"\`; if it must be public, say so with \`${PUBLIC_SERVICE_ANNOTATION}: "true"\`.`,
    snippet: `apiVersion: v1
kind: Service
metadata:
  name: internal-app
  annotations:
    service.beta.kubernetes.io/azure-load-balancer-internal: "true"
spec:
  type: LoadBalancer
  ports:
  - port: 80
  selector:
    app: internal-app`,
  },
  scope: 'object',
  source: 'kubernetes',
  fix: svc => ({
    kind: 'patch',
    target: targetOf(svc),
    format: 'json-patch',
    operations: metadataMapPatch(svc, 'annotations', {
      [AZURE_INTERNAL_LB_ANNOTATION]: 'true',
    }),
    summary: `Put Service ${svc.metadata.name} on the internal Azure load balancer`,
    adapt: `Its public IP goes away: clients outside the virtual network lose it (expose it through an ingress instead, or annotate ${PUBLIC_SERVICE_ANNOTATION}: "true" when it is public on purpose)`,
  }),
  appliesTo: {
    kinds: ['Service'],
    when: (svc: KubeObject) => svc.spec?.type === 'LoadBalancer',
  },
  check(svc: KubeObject) {
    const annotations = svc.metadata.annotations;
    const internal = annotations
      ? annotations[AZURE_INTERNAL_LB_ANNOTATION]
      : undefined;
    if (internal === 'true') return PASS;
    if (annotations && annotations[PUBLIC_SERVICE_ANNOTATION] === 'true') {
      return PASS;
    }
    return fail(
      `Service ${svc.metadata.name} is of type LoadBalancer without ${AZURE_INTERNAL_LB_ANNOTATION}: "true": it gets a public IP`,
      [
        {
          path: `metadata.annotations["${AZURE_INTERNAL_LB_ANNOTATION}"]`,
          value: internal,
          expected: `"true" (or ${PUBLIC_SERVICE_ANNOTATION}: "true" when public on purpose)`,
        },
      ],
    );
  },
};

export const serviceRules = [serviceInternalLoadBalancer];
