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
    /** How long runs and score history are kept. */
    retention?: {
      /** Default 90. */
      days?: number;
    };
    /**
     * The baseline's settings: rule overrides, parameters, waivers and a
     * forced profile (same shape as the CLI's baseline file).
     */
    baseline?: {
      /** Per rule id: switch off or change the severity. */
      rules?: {
        [ruleId: string]: {
          enabled?: boolean;
          severity?: 'critical' | 'high' | 'medium' | 'low';
        };
      };
      /** Tunable values the rules read (allowedRegistries, minReplicas, ...). */
      parameters?: {
        [name: string]: unknown;
      };
      /** Accepted exceptions: outside the score until they expire. */
      waivers?: Array<{
        ruleId: string;
        scope?: {
          cluster?: string;
          namespace?: string;
          kind?: string;
          name?: string;
        };
        owner: string;
        reason: string;
        /** ISO date (YYYY-MM-DD) or timestamp. */
        expires?: string;
      }>;
      /** Forces the profile instead of reading the cluster's Environment tag. */
      profile?: 'production' | 'non-production';
    };
    /**
     * Also evaluate the clusters configured for the Kubernetes plugin
     * (`kubernetes.clusterLocatorMethods` of type `config`). Default true.
     */
    includeKubernetesPluginClusters?: boolean;
    /** The clusters to evaluate. */
    clusters?: Array<{
      /** Unique; the value of `aks-baseline.io/cluster` and `backstage.io/kubernetes-cluster`. */
      name: string;
      /** Offline: a directory of `az aks show -o json` output and `kubectl get -o json` files. */
      snapshot?: {
        /** Relative to the backend's working directory. */
        directory: string;
      };
      /** The managed cluster in Azure Resource Manager. */
      azure?: {
        subscriptionId: string;
        resourceGroup: string;
        clusterName: string;
        tenantId?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
      };
      /** The cluster's Kubernetes API (defaults to the AKS API server with an Entra token). */
      kubernetes?: {
        /** False: ARM only. */
        enabled?: boolean;
        url?: string;
        /** @visibility secret */
        caData?: string;
        caFile?: string;
        skipTLSVerify?: boolean;
        /** @visibility secret */
        serviceAccountToken?: string;
        serviceAccountTokenFile?: string;
        authProvider?: 'serviceAccount' | 'inCluster' | 'azure';
      };
    }>;
  };
}
