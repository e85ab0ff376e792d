/*
 * A cluster known only by its Kubernetes API (no ARM): Kubernetes rules run,
 * ARM rules are skipped.
 */
import type { TokenCredential } from '@azure/identity';
import { ClusterSnapshot } from '@aks-baseline/plugin-aks-baseline-node';
import { KubernetesAccessSpec } from '../config';
import { toClusterReadError } from '../errors';
import { SourceTuning } from '../tuning';
import {
  ClusterReadOptions,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';
import { resolveKubernetesAccess } from './access';
import { readKubernetesObjects } from './readKubernetes';

export class KubernetesClusterSource implements ClusterSource {
  readonly kind = 'kubernetes' as const;
  /** The bearer token of the last read (a token file's, or an Entra token). */
  private lastToken?: string;

  constructor(
    readonly name: string,
    private readonly spec: KubernetesAccessSpec,
    private readonly entraCredential: () => TokenCredential,
    private readonly tuning: SourceTuning,
  ) {}

  /** The configured API server (for listings; never from a request). */
  get url(): string | undefined {
    return this.spec.url;
  }

  secretValues(): string[] {
    return [this.spec.serviceAccountToken, this.lastToken].filter(
      (s): s is string => Boolean(s),
    );
  }

  async read(options: ClusterReadOptions): Promise<ClusterSnapshot> {
    const { signal, logger, kinds } = options;
    try {
      const access = await resolveKubernetesAccess({
        cluster: this.name,
        spec: this.spec,
        signal,
        entraCredential: this.entraCredential,
      });
      this.lastToken = access.credential.token;
      const read = await readKubernetesObjects({
        cluster: this.name,
        endpoint: access.endpoint,
        credential: access.credential,
        signal,
        logger,
        tuning: this.tuning,
        kinds,
      });
      return {
        name: this.name,
        objects: read.objects,
        ...(read.customKinds.length > 0
          ? { customKinds: read.customKinds }
          : {}),
        coverage: read.coverage,
        ignoredKinds: read.ignoredKinds,
      };
    } catch (error) {
      throw toClusterReadError(error, {
        cluster: this.name,
        action: 'reading the cluster',
        service: 'Kubernetes API',
        signal,
        secrets: this.secretValues(),
      });
    }
  }
}
