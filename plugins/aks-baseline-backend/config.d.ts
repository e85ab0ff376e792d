import type { BaselineConfig } from '@aks-baseline/plugin-aks-baseline-node';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** The AKS Baseline backend plugin. */
  aksBaseline?: {
    /**
     * When every cluster is evaluated (a global task: once across replicas
     * sharing a database). Default: every 30 minutes, 15-minute timeout,
     * first run 10 seconds after start.
     */
    schedule?: {
      frequency?: HumanDuration | string | { cron: string };
      timeout?: HumanDuration | string;
      initialDelay?: HumanDuration | string;
    };
    /** How long reading one cluster may take. Default 2 minutes. */
    clusterTimeout?: HumanDuration | string;
    /** Clusters read at the same time. Default 4. */
    concurrency?: number;
    /** The manual checklists (items no API can show, confirmed by people). */
    manualChecks?: {
      /** How long a confirmation lasts before it reads as not confirmed. Default 90 days. */
      confirmationTtl?: HumanDuration | string;
    };
    /** How long runs and score history are kept. */
    retention?: {
      /** Default 90. */
      days?: number;
    };
    /**
     * The baseline's settings: rule overrides, parameters, waivers and a
     * forced profile (same shape as the CLI's baseline file; defined once,
     * in the engine).
     */
    baseline?: BaselineConfig;
    /**
     * Also evaluate the clusters configured for the Kubernetes plugin
     * (`kubernetes.clusterLocatorMethods` of type `config`) that a backend
     * identity can read: `serviceAccount` (its token, or the backend pod's own
     * service account without one) and `azure`/`aks` (a Microsoft Entra token
     * of the backend's identity). A name already under `clusters` wins.
     * Default true.
     */
    includeKubernetesPluginClusters?: boolean;
    /**
     * Clusters found in Azure instead of (or besides) listed by hand. A
     * configured cluster with the same resource id wins (its name and settings).
     */
    discovery?: {
      azure?: {
        /**
         * The subscription ids to list managed clusters in (required: listing
         * every subscription the identity can see is not supported).
         */
        subscriptions: string[];
        /** Only these resource groups (in each subscription). Default: all. */
        resourceGroups?: string[];
        /** Tags every kept cluster has; the value `*` matches any value. */
        tags?: { [name: string]: string };
        /** Cluster names or resource ids to keep (`*` wildcards). Default: all. */
        include?: string[];
        /** Cluster names or resource ids to leave out (`*` wildcards). */
        exclude?: string[];
        /**
         * How often each replica lists the clusters again. Default: every 10
         * minutes, 5-minute timeout, at start.
         */
        schedule?: {
          frequency?: HumanDuration | string | { cron: string };
          timeout?: HumanDuration | string;
          initialDelay?: HumanDuration | string;
        };
        /** The identity, as for a configured `azure` cluster. Default: DefaultAzureCredential. */
        tenantId?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
        kubernetes?: {
          /**
           * False: discovered clusters are evaluated on Azure Resource Manager
           * alone (their Kubernetes rules unknown). Default true: the API
           * server with a Microsoft Entra token, falling back to ARM alone
           * when the identity has no data-plane access.
           */
          enabled?: boolean;
        };
      };
    };
    /**
     * The clusters to evaluate. Each has exactly one of `snapshot`, `azure`
     * (optionally with `kubernetes` overrides) or `kubernetes`.
     */
    clusters?: Array<{
      /** Unique; the value of `aks-baseline.io/cluster` and `backstage.io/kubernetes-cluster`. */
      name: string;
      /** Offline: a directory of `az aks show -o json` output and `kubectl get -o json` files. */
      snapshot?: {
        /** Relative to the backend's working directory. */
        directory: string;
      };
      /**
       * The managed cluster in Azure Resource Manager. Credentials: a client
       * secret when tenantId, clientId and clientSecret are all set; otherwise
       * DefaultAzureCredential (Workload Identity, managed identity or the
       * AZURE_* environment), with clientId selecting the identity.
       */
      azure?: {
        subscriptionId: string;
        resourceGroup: string;
        clusterName: string;
        tenantId?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
      };
      /**
       * The cluster's Kubernetes API. For an `azure` cluster everything is
       * optional: the URL defaults to the managed cluster's FQDN (private FQDN
       * for a private cluster), the CA to the one in listClusterUserCredential's
       * kubeconfig, and auth to a Microsoft Entra token for the AKS server
       * application. For a cluster without `azure`, `url` (unless inCluster)
       * and a token or authProvider are required.
       */
      kubernetes?: {
        /** False: read ARM only (azure clusters); the Kubernetes rules are skipped. */
        enabled?: boolean;
        /** `https://host:port` of the API server. */
        url?: string;
        /**
         * Base64 PEM of the cluster CA, as in a kubeconfig.
         * @visibility secret
         */
        caData?: string;
        caFile?: string;
        /** Only for test setups; also what allows an http:// URL. */
        skipTLSVerify?: boolean;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** Read at every run, so a rotated (projected) token is picked up. */
        serviceAccountTokenFile?: string;
        /**
         * serviceAccount: the token above; inCluster: the backend pod's own
         * service account and cluster; azure: a Microsoft Entra token.
         */
        authProvider?: 'serviceAccount' | 'inCluster' | 'azure';
      };
    }>;
    /**
     * Policy Reports (wgpolicyk8s.io/v1alpha2) that Kyverno, Trivy or
     * Kubescape left in the clusters: read at each evaluation with the
     * cluster's objects (needs get/list on policyreports and
     * clusterpolicyreports, deploy/kubernetes/clusterrole.yaml), stored and
     * served as their own findings, never part of the score.
     */
    policyReports?: {
      /** Default false. */
      enabled?: boolean;
    };
    /**
     * Notifications (@backstage/plugin-notifications-backend must be
     * installed): each change notified once, with a topic per kind. Off
     * unless `enabled`; the score rules off unless their numbers are given.
     */
    notifications?: {
      /** Default false. */
      enabled?: boolean;
      /** Notify an entity's owners when its score on a cluster falls by this many points or more. */
      scoreDrop?: number;
      /** Notify an entity's owners when its score on a cluster falls below this. */
      scoreBelow?: number;
      /** Notify an entity's owners when a critical finding appears. Default true. */
      criticalFindings?: boolean;
      /** Notify when a waiver on the entity expires within this many days, and when it has expired; 0 turns it off. Default 14. */
      waiverExpiryDays?: number;
      /** Notify the platform team when a cluster's evaluation keeps failing. */
      staleCluster?: {
        /** A group entity ref, e.g. group:default/platform-team. */
        platformTeam: string;
        /** How long a cluster's result may be stale before. Default 6 hours. */
        after?: HumanDuration | string;
      };
      /** The entity page tab the links open (its path). Default `aks-baseline`. */
      entityTab?: string;
    };
  };
}
