import type { BaselineConfig } from '@aks-baseline/plugin-aks-baseline-node';

export interface Config {
  aksBaseline?: {
    /** Self-service namespaces: which clusters templates may target, and the defaults they get. */
    scaffolder?: {
      /**
       * The clusters a template may create namespaces on, by name. Templates
       * name a cluster; its URL and credentials only ever come from here.
       */
      clusters?: Array<{
        /** The name templates use (the cluster's catalog Resource name). */
        name: string;
        /**
         * API server URL, e.g. https://aks-prod-dns-1a2b3c4d.hcp.westeurope.azmk8s.io:443.
         * With `auth`, namespaces can be created on the cluster directly;
         * without both, the cluster is only a GitOps (render) target.
         */
        url?: string;
        /**
         * The API server's CA bundle: base64 of the PEM (kubeconfig's
         * certificate-authority-data) or the PEM itself. Without it the
         * system trust store is used.
         */
        caData?: string;
        /** How the scaffolder authenticates: exactly one of the two. */
        auth?: {
          /**
           * A ServiceAccount token bound to the scaffolder ClusterRole
           * (deploy/kubernetes/scaffolder-clusterrole.yaml).
           * @visibility secret
           */
          serviceAccountToken?: string;
          /**
           * A Microsoft Entra ID token for the AKS server application
           * (scope 6dae42f8-4368-4678-94ff-3960e28e3630/.default) from
           * DefaultAzureCredential: workload identity, managed identity or
           * environment credentials.
           */
          azure?: {
            /** Client id of a user-assigned managed identity to use. */
            clientId?: string;
            /** Tenant to request the token from. */
            tenantId?: string;
          };
        };
        /**
         * Environments a namespace on this cluster may be requested for
         * (`production`, `non-production`).
         */
        environments: string[];
        /**
         * The cluster in Azure Resource Manager. With it, the create action
         * reads the cluster's OIDC issuer (for the Workload Identity
         * federated credential command) and, where the cluster supports it
         * (Azure RBAC for Kubernetes authorization and the managedNamespaces
         * resource type), creates the namespace as an AKS managed namespace
         * with the team's access as an Azure role assignment on it.
         */
        managedCluster?: {
          subscriptionId: string;
          resourceGroup: string;
          /** The managed cluster's name in ARM. */
          name: string;
          /** false: namespaces always go through the Kubernetes API; default true. */
          managedNamespaces?: boolean;
          /** Client id of a user-assigned managed identity for ARM (DefaultAzureCredential). */
          clientId?: string;
          /** Tenant to request ARM tokens from. */
          tenantId?: string;
        };
      }>;
      /**
       * Quota presets by name (small, medium, large); each replaces the
       * built-in preset. Configuration keys cannot contain dots, so
       * `requests.cpu` is written `requests: { cpu: ... }`.
       */
      quotaPresets?: {
        [preset: string]: {
          requests: { cpu: string; memory: string };
          limits: { cpu: string; memory: string };
          persistentvolumeclaims: string | number;
          services: { loadbalancers: string | number };
        };
      };
      /** LimitRange defaults merged over the built-in ones. */
      limitRange?: {
        default?: { [resource: string]: string };
        defaultRequest?: { [resource: string]: string };
        min?: { [resource: string]: string };
        max?: { [resource: string]: string };
        podMax?: { [resource: string]: string };
      };
      /** ClusterRole the team's group is bound to by default; `edit`. */
      teamRole?: string;
      /** ClusterRoles a template may ask for; `[edit, view]`. */
      allowedRoles?: string[];
      /** Timeout of each Kubernetes request in milliseconds; 15000. */
      requestTimeoutMs?: number;
      /**
       * Baseline configuration (rules, parameters, waivers, profile) for the
       * score the actions compute, the backend's shape (defined once, in the
       * engine); the engine's defaults without it.
       */
      baseline?: BaselineConfig;
    };
  };
}
