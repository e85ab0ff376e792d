import { gzipSync } from 'zlib';
import { answerEtags, EntityAnswer, EntityAnswerCache } from './answerCache';

function answer(bytes: number): EntityAnswer {
  const responseGzip = Buffer.alloc(bytes);
  return {
    responseGzip,
    ...answerEtags(responseGzip),
    resourceCount: 1,
    clusters: ['prod'],
  };
}

function setup(options: { maxBytes?: number; maxAgeMs?: number } = {}) {
  let now = 0;
  let version = 'v1';
  const readVersion = jest.fn(async () => version);
  const cache = new EntityAnswerCache({
    maxBytes: options.maxBytes ?? 1_000_000,
    maxAgeMs: options.maxAgeMs ?? 1000,
    readVersion,
    now: () => now,
  });
  const stored = new Map<string, EntityAnswer | undefined>();
  const load = jest.fn(async (key: string) => stored.get(key));
  return {
    cache,
    load,
    stored,
    readVersion,
    advance: (ms: number) => {
      now += ms;
    },
    setVersion: (v: string) => {
      version = v;
    },
  };
}

describe('EntityAnswerCache', () => {
  it('loads an answer once, and remembers "not evaluated" too', async () => {
    const { cache, load, stored } = setup();
    stored.set('a', answer(10));
    expect(await cache.get('a', load)).toBe(stored.get('a'));
    expect(await cache.get('a', load)).toBe(stored.get('a'));
    expect(await cache.get('missing', load)).toBeUndefined();
    expect(await cache.get('missing', load)).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('trusts a version read for maxAge, and forgets everything when it changed', async () => {
    const { cache, load, stored, readVersion, advance, setVersion } = setup();
    stored.set('a', answer(10));
    await cache.get('a', load);
    advance(499);
    await cache.get('a', load);
    expect(readVersion).toHaveBeenCalledTimes(1);

    advance(1);
    await cache.get('a', load); // half of maxAge: read again
    expect(readVersion).toHaveBeenCalledTimes(2);
    expect(load).toHaveBeenCalledTimes(1); // same version: still cached

    setVersion('v2');
    stored.set('a', answer(20));
    advance(1000);
    expect((await cache.get('a', load))?.responseGzip?.length).toBe(20);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reads the version ahead in the background after half of maxAge, and waits for it after maxAge', async () => {
    let now = 0;
    let release: (version: string) => void = () => {};
    const readVersion = jest.fn(
      () =>
        new Promise<string>(resolve => {
          release = resolve;
        }),
    );
    const cache = new EntityAnswerCache({
      maxBytes: 1_000_000,
      maxAgeMs: 1000,
      readVersion,
      now: () => now,
    });
    const stored = answer(10);
    const load = jest.fn(async () => stored);
    const first = cache.get('a', load);
    release('v1');
    expect(await first).toBe(stored);

    now = 600;
    // Served from the cache without waiting for the pending read.
    expect(await cache.get('a', load)).toBe(stored);
    expect(await cache.get('a', load)).toBe(stored);
    expect(readVersion).toHaveBeenCalledTimes(2); // one read at a time
    release('v2'); // another replica wrote meanwhile
    await new Promise(r => setImmediate(r));
    expect(cache.size).toBe(0);
    expect(await cache.get('a', load)).toBe(stored);
    expect(load).toHaveBeenCalledTimes(2);

    now = 1600; // the read of 600 is too old: wait for a new one
    let answered = false;
    const late = cache.get('a', load).then(a => {
      answered = true;
      return a;
    });
    await new Promise(r => setImmediate(r));
    expect(answered).toBe(false);
    release('v2');
    expect(await late).toBe(stored);
    expect(readVersion).toHaveBeenCalledTimes(3);
  });

  it('does not fail a request when a read ahead fails', async () => {
    const { cache, load, stored, readVersion, advance } = setup();
    stored.set('a', answer(10));
    await cache.get('a', load);
    readVersion.mockRejectedValueOnce(new Error('connection lost'));
    advance(600);
    expect(await cache.get('a', load)).toBe(stored.get('a'));
    await new Promise(r => setImmediate(r));
    advance(500); // 1100 since the last successful read
    expect(await cache.get('a', load)).toBe(stored.get('a'));
    expect(readVersion).toHaveBeenCalledTimes(3);
  });

  it('gives each representation its own ETag, the same for the same bytes', () => {
    const a = answerEtags(gzipSync('{"a":1}'));
    expect(a).toEqual(answerEtags(gzipSync('{"a":1}')));
    expect(a.etag).toMatch(/^W\/"[\w-]{27}-gzip"$/);
    expect(a.etagIdentity).toMatch(/^W\/"[\w-]{27}"$/);
    expect(answerEtags(gzipSync('{"a":2}')).etag).not.toBe(a.etag);
  });

  it('shares one version read between concurrent requests', async () => {
    const { cache, load, readVersion } = setup();
    await Promise.all([cache.get('a', load), cache.get('b', load)]);
    expect(readVersion).toHaveBeenCalledTimes(1);
  });

  it('does not keep an answer loaded while it was cleared', async () => {
    const { cache, stored } = setup();
    stored.set('a', answer(10));
    let release: () => void = () => {};
    const slow = jest.fn(
      (key: string) =>
        new Promise<EntityAnswer | undefined>(resolve => {
          release = () => resolve(stored.get(key));
        }),
    );
    const pending = cache.get('a', slow);
    await new Promise(r => setImmediate(r));
    cache.clear();
    release();
    await pending;
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used answers beyond maxBytes', async () => {
    const { cache, load, stored } = setup({ maxBytes: 3000 });
    for (const key of ['a', 'b', 'c']) stored.set(key, answer(1000));
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load); // a is now the most recent
    await cache.get('c', load); // over 3000 with overheads: b goes
    expect(cache.size).toBe(2);
    load.mockClear();
    await cache.get('a', load);
    await cache.get('c', load);
    expect(load).not.toHaveBeenCalled();
    await cache.get('b', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('never caches an answer larger than the whole cache', async () => {
    const { cache, load, stored } = setup({ maxBytes: 500 });
    stored.set('big', answer(1000));
    await cache.get('big', load);
    expect(cache.size).toBe(0);
  });
});
