/*
 * An in-process cache of the score route's stored answers, so that a busy
 * entity page costs no database round trip. Entries belong to a version
 * of the entity answers that every write bumps in the database
 * (`aks_baseline_versions`); a read of the version is trusted for
 * `maxAgeMs`, so an answer written by another replica is served at most
 * that late. After half of it, the next request reads the version again in
 * the background, so that a busy replica's requests do not wait for it. A
 * write in this process clears the cache at once. Bounded in bytes, least
 * recently used first out.
 */
import { createHash } from 'crypto';

/** What the score route needs of one entity (undefined: never evaluated). */
export type EntityAnswer =
  | {
      /** Gzip-compressed EntityScoreResponse. */
      responseGzip: Buffer;
      /** The ETag of the answer sent gzip-compressed (see answerEtags). */
      etag: string;
      /** The ETag of the answer sent decompressed. */
      etagIdentity: string;
      resourceCount: number;
      /** The clusters the answer names. */
      clusters: string[];
    }
  | {
      /** Nothing matched the entity's annotations. */
      responseGzip?: undefined;
      resourceCount: number;
    };

/**
 * Weak ETags of a stored answer, computed once when it is read: one for
 * each representation the route sends (gzip as stored, or decompressed),
 * both from a hash of the stored bytes.
 */
export function answerEtags(responseGzip: Buffer): {
  etag: string;
  etagIdentity: string;
} {
  const hash = createHash('sha1')
    .update(responseGzip)
    .digest('base64url')
    .slice(0, 27);
  return { etag: `W/"${hash}-gzip"`, etagIdentity: `W/"${hash}"` };
}

export interface AnswerCacheOptions {
  /** Upper bound of the cached answers' bytes. */
  maxBytes: number;
  /** How long a read of the version is trusted. */
  maxAgeMs: number;
  /** Reads the current version of the answers from the database. */
  readVersion: () => Promise<string | undefined>;
  now?: () => number;
}

/** The defaults: about 15,000 typical answers; another replica's writes show within a second. */
export const DEFAULT_ANSWER_CACHE = Object.freeze({
  maxBytes: 32 * 1024 * 1024,
  maxAgeMs: 1000,
});

/** Bytes an entry is counted for besides its answer (key, map slot, object, ETags). */
const ENTRY_OVERHEAD = 320;

interface Entry {
  value: EntityAnswer | undefined;
  bytes: number;
}

export class EntityAnswerCache {
  /** Map order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private version: string | undefined;
  private generation = 0;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking?: Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: AnswerCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /** The cached answer, else `load`'s (cached when no write happened meanwhile). */
  async get(
    key: string,
    load: (key: string) => Promise<EntityAnswer | undefined>,
  ): Promise<EntityAnswer | undefined> {
    const age = this.now() - this.checkedAt;
    if (age >= this.options.maxAgeMs) {
      await this.check();
    } else if (age >= this.options.maxAgeMs / 2 && !this.checking) {
      // Read the version ahead, in the background, so that a busy replica's
      // requests do not wait for it once maxAge has passed. The answers
      // served meanwhile are still within maxAge; a failed read is retried,
      // and thrown, by the request that finds the version too old.
      this.check().catch(() => {});
    }
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const generation = this.generation;
    const value = await load(key);
    if (generation === this.generation) this.set(key, value);
    return value;
  }

  /** Forgets everything; the next read checks the version again. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.generation++;
    this.checkedAt = Number.NEGATIVE_INFINITY;
  }

  get size(): number {
    return this.entries.size;
  }

  /** One version read at a time, shared by the requests that wait for it. */
  private check(): Promise<void> {
    this.checking ??= (async () => {
      const started = this.now();
      try {
        const version = await this.options.readVersion();
        if (version !== this.version) {
          this.clear();
          this.version = version;
        }
        this.checkedAt = started;
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  private set(key: string, value: EntityAnswer | undefined): void {
    const bytes =
      ENTRY_OVERHEAD + key.length * 2 + (value?.responseGzip?.length ?? 0);
    if (bytes > this.options.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
