/*
 * What one token may see, kept for half a minute, so that a user paging
 * through their entities does not cost two calls to the permission backend
 * and one to the catalog per request (a user's claims are those of their
 * token anyway; the catalog's ownership changes take longer than that to
 * be processed). Entries are keyed by a hash of the
 * caller's own token: nothing is shared between users, or between two
 * tokens of one user. A catalog change shows within `ttlMs`: once 80% of
 * it has passed, the next request asks again in the background (and is
 * answered from the entry meanwhile), so that a busy user's requests do
 * not wait for it; past `ttlMs` requests wait.
 * Bounded in entries and in entity refs held; a scope larger than the
 * budget is not kept (its requests ask each time).
 */
import { createHash } from 'crypto';

export interface AccessCacheOptions {
  ttlMs: number;
  /** Tokens kept at most. */
  maxEntries: number;
  /** Entity refs and cluster names kept at most, over every entry. */
  maxRefs: number;
  now?: () => number;
}

export const DEFAULT_ACCESS_CACHE: Omit<AccessCacheOptions, 'now'> = {
  ttlMs: 30_000,
  maxEntries: 1000,
  maxRefs: 200_000,
};

/** The share of the time to live after which an entry is asked again in the background. */
const REFRESH_AT = 0.8;

interface Entry<T> {
  at: number;
  value: Promise<T>;
  /** The value once it is in. */
  settled?: { value: T };
  refs: number;
  /** A load started ahead of expiry, not yet in. */
  refreshing?: boolean;
}

/** The cache key of a request's `Authorization` header (undefined: none). */
export function tokenKey(
  authorization: string | undefined,
): string | undefined {
  if (!authorization) return undefined;
  return createHash('sha256').update(authorization).digest('base64url');
}

export class AccessCache<T> {
  /** Map order is recency order. */
  private readonly entries = new Map<string, Entry<T>>();
  private refs = 0;
  private readonly now: () => number;

  constructor(private readonly options: AccessCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The value kept for `key`, else `load`'s (shared by the callers that
   * wait for it; a failure is not kept). `sizeOf` counts what a value holds.
   */
  async get(
    key: string,
    load: () => Promise<T>,
    sizeOf: (value: T) => number,
  ): Promise<T> {
    const hit = this.entries.get(key);
    const age = hit ? this.now() - hit.at : Infinity;
    if (hit && age < this.options.ttlMs) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      if (age >= this.options.ttlMs * REFRESH_AT && !hit.refreshing) {
        hit.refreshing = true;
        // A failure is retried, and thrown, by the request that finds the entry expired.
        this.fill(key, load, sizeOf, hit).catch(() => {
          hit.refreshing = false;
        });
      }
      return hit.value;
    }
    if (hit) this.remove(key, hit);
    return this.fill(key, load, sizeOf);
  }

  /**
   * Loads `key`'s value. Without `replacing`, the entry is kept at once
   * (callers meanwhile share the load); with it, the new entry takes its
   * place once loaded (callers meanwhile get the old value).
   */
  private async fill(
    key: string,
    load: () => Promise<T>,
    sizeOf: (value: T) => number,
    replacing?: Entry<T>,
  ): Promise<T> {
    const entry: Entry<T> = { at: this.now(), value: load(), refs: 0 };
    if (!replacing) {
      this.entries.set(key, entry);
      this.evict();
    }
    let value: T;
    try {
      value = await entry.value;
      entry.settled = { value };
    } catch (error) {
      if (this.entries.get(key) === entry) this.remove(key, entry);
      throw error;
    }
    if (replacing && this.entries.get(key) === replacing) {
      this.remove(key, replacing);
      this.entries.set(key, entry);
    }
    if (this.entries.get(key) === entry) {
      entry.refs = sizeOf(value);
      this.refs += entry.refs;
      if (entry.refs > this.options.maxRefs) this.remove(key, entry);
      this.evict();
    }
    return value;
  }

  /** Whether `key` has a fresh entry (in, or being loaded). */
  has(key: string): boolean {
    const entry = this.entries.get(key);
    return Boolean(entry && this.now() - entry.at < this.options.ttlMs);
  }

  /** The fresh value of `key` if it is in, without loading or waiting. */
  peek(key: string): { value: T } | undefined {
    const entry = this.entries.get(key);
    return entry && this.now() - entry.at < this.options.ttlMs
      ? entry.settled
      : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.refs -= entry.refs;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (
        this.entries.size <= this.options.maxEntries &&
        this.refs <= this.options.maxRefs
      ) {
        return;
      }
      this.remove(key, entry);
    }
  }
}
