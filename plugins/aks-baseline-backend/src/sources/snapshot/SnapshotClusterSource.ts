/*
 * A cluster read from a snapshot directory (`az aks show -o json` output and
 * `kubectl get -o json` Lists or YAML): the embedded demo default.
 */
import {
  ClusterSnapshot,
  readSnapshotDirectory,
  SnapshotReadError,
} from '@aks-baseline/plugin-aks-baseline-node';
import * as path from 'path';
import {
  ClusterReadError,
  ClusterReadOptions,
  ClusterSource,
} from '@aks-baseline/plugin-aks-baseline-node';

export class SnapshotClusterSource implements ClusterSource {
  readonly kind = 'snapshot' as const;
  /** Absolute directory (relative config paths resolve from the working directory). */
  readonly directory: string;

  constructor(readonly name: string, directory: string) {
    this.directory = path.resolve(directory);
  }

  async read(options: ClusterReadOptions): Promise<ClusterSnapshot> {
    if (options.signal.aborted) {
      throw new ClusterReadError('timed out before reading the snapshot', {
        cluster: this.name,
        code: 'timeout',
      });
    }
    try {
      // The kinds the rules read: custom resources among them are kept.
      const snapshot = await readSnapshotDirectory(
        this.directory,
        this.name,
        options.kinds,
      );
      return snapshot.name === this.name
        ? snapshot
        : { ...snapshot, name: this.name };
    } catch (error) {
      if (error instanceof SnapshotReadError) {
        // The message names the file and the JSON path of the bad value.
        throw new ClusterReadError(`invalid snapshot: ${error.message}`, {
          cluster: this.name,
          code: 'invalid-snapshot',
          cause: error,
        });
      }
      throw new ClusterReadError(
        `cannot read the snapshot directory ${this.directory}: ${
          (error as Error)?.message ?? String(error)
        }`,
        { cluster: this.name, code: 'invalid-snapshot', cause: error },
      );
    }
  }
}
