/*
 * The Workload Identity federated credential the team still has to create
 * (on their managed identity, which the scaffolder does not manage): the
 * `az identity federated-credential create` command with the cluster's OIDC
 * issuer and the namespace's ServiceAccount as subject, ready to run.
 */
import type { ManagedClusterTarget } from '../config';

export interface FederatedCredentialOutput {
  subject: string;
  /** Null when not read (no managedCluster, a dry run) or the issuer is off. */
  issuer: string | null;
  command: string;
  /** What to do first, when the command cannot work as it is. */
  note?: string;
}

/** A federated credential name: letters, digits, "-" and "_", at most 120. */
function credentialName(cluster: string, namespace: string, sa: string) {
  return `${cluster}-${namespace}-${sa}`
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 120);
}

/** What the shell substitutes for the issuer when it was not read. */
function issuerLookup(cluster: string, target?: ManagedClusterTarget) {
  return target
    ? `$(az aks show --subscription ${target.subscriptionId} --resource-group ${target.resourceGroup} --name ${target.name} --query oidcIssuerProfile.issuerUrl -o tsv)`
    : `$(az aks show --resource-group <resource group of ${cluster}> --name <ARM name of ${cluster}> --query oidcIssuerProfile.issuerUrl -o tsv)`;
}

export function federatedCredential(options: {
  cluster: string;
  namespace: string;
  serviceAccountName: string;
  clientId: string;
  managedCluster?: ManagedClusterTarget;
  /** undefined: not read; null: read, and the issuer is off. */
  issuer: string | null | undefined;
}): FederatedCredentialOutput {
  const { cluster, namespace, serviceAccountName, clientId } = options;
  const subject = `system:serviceaccount:${namespace}:${serviceAccountName}`;
  const identity = `[?clientId=='${clientId}']`;
  const issuer =
    options.issuer ?? issuerLookup(cluster, options.managedCluster);
  const command = [
    'az identity federated-credential create',
    `  --name ${credentialName(cluster, namespace, serviceAccountName)}`,
    `  --identity-name "$(az identity list --query "${identity}.name | [0]" -o tsv)"`,
    `  --resource-group "$(az identity list --query "${identity}.resourceGroup | [0]" -o tsv)"`,
    `  --issuer "${issuer}"`,
    `  --subject ${subject}`,
    '  --audiences api://AzureADTokenExchange',
  ].join(' \\\n');
  const out: FederatedCredentialOutput = {
    subject,
    issuer: options.issuer ?? null,
    command,
  };
  if (options.issuer === null) {
    out.note = `The OIDC issuer of cluster ${cluster} is off: a platform admin enables it first (az aks update --enable-oidc-issuer --enable-workload-identity).`;
  }
  return out;
}
