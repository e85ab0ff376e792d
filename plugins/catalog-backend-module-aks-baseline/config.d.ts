/** A duration as Backstage reads it: `{ minutes: 10 }` or an ISO 8601 string. */
type Duration =
  | {
      years?: number;
      months?: number;
      weeks?: number;
      days?: number;
      hours?: number;
      minutes?: number;
      seconds?: number;
      milliseconds?: number;
    }
  | string;

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The AKS fleet in the catalog: each cluster the AKS Baseline backend
       * evaluates as a `Resource` of type `kubernetes-cluster`, each of its
       * namespaces as a `Resource` of type `kubernetes-namespace`. Off
       * without this block.
       */
      aksBaseline?: {
        /** Default: every 10 minutes, 5-minute timeout, first run 30 seconds after start. */
        schedule?: {
          frequency?: Duration | { cron: string };
          timeout?: Duration;
          initialDelay?: Duration;
        };
        clusters?: {
          /** False when the clusters' Resources are described elsewhere (catalog files). Default true. */
          enabled?: boolean;
          /** Owner of the cluster Resources (an entity ref); required when enabled. */
          owner?: string;
          /** The system the clusters are part of (an entity ref). */
          system?: string;
        };
        namespaces?: {
          /** Default true. */
          enabled?: boolean;
          /**
           * The namespace label naming the owner group (its entity name, in
           * the default namespace). Default `aks-baseline.io/owner`, the
           * label the namespace template writes.
           */
          ownerLabel?: string;
          /** Owner of namespaces without that label; without it they are left out. */
          defaultOwner?: string;
        };
      };
    };
  };
}
