/*
 * An existing namespace (a Kubernetes Namespace, or an AKS managed
 * namespace) is changed only by who may act for its current owner, read
 * from the owner annotation the scaffolder wrote; one it did not write is
 * never taken over.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { OWNER_ANNOTATION } from '../manifests';
import {
  Initiator,
  NamespaceAuthorizer,
} from '../permissions/namespaceAuthorizer';

/** The full ref in the owner annotation, or undefined when it is not one. */
function annotatedOwner(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    return undefined;
  }
}

export interface ExistingNamespace {
  annotations?: Record<string, string>;
  /** "Namespace payments-dev" or "Managed namespace payments-dev". */
  what: string;
}

/** Resolves when the initiator may converge the existing namespace. */
export async function checkExistingOwner(options: {
  existing: ExistingNamespace;
  owner: string;
  namespace: string;
  cluster: string;
  initiator: Initiator;
  authorizer: NamespaceAuthorizer;
  logger: { info(message: string): void };
}) {
  const { existing, owner: wanted, namespace, cluster, initiator } = options;
  const annotation = existing.annotations?.[OWNER_ANNOTATION];
  const owner = annotatedOwner(annotation);
  if (!owner) {
    throw new ConflictError(
      annotation
        ? `${existing.what} already exists on cluster ${cluster} and its ${OWNER_ANNOTATION} annotation ("${annotation}") is not an entity ref. It is never taken over: have a cluster admin correct the annotation.`
        : `${existing.what} already exists on cluster ${cluster} and was not created by the scaffolder (no ${OWNER_ANNOTATION} annotation). It is never taken over: choose another name, or have a cluster admin annotate it with ${OWNER_ANNOTATION}=${wanted} to adopt it.`,
    );
  }
  if (owner !== wanted) {
    await options.authorizer.authorize(initiator, {
      access: 'change',
      owner,
      namespace,
      cluster,
    });
    options.logger.info(
      `Namespace ${namespace} is owned by ${owner}: ${initiator.label} hands it over to ${wanted}`,
    );
  } else {
    options.logger.info(
      `Namespace ${namespace} exists and is owned by ${owner}: converging it`,
    );
  }
}
