import { AccessCache, tokenKey } from './AccessCache';

describe('AccessCache', () => {
  let now = 0;
  const cache = (
    options: Partial<{ maxEntries: number; maxRefs: number }> = {},
  ) =>
    new AccessCache<string[]>({
      ttlMs: 1000,
      maxEntries: 10,
      maxRefs: 100,
      ...options,
      now: () => now,
    });
  const size = (v: string[]) => v.length;

  beforeEach(() => {
    now = 0;
  });

  it('keeps a value per key for its time to live, and shares a load in flight', async () => {
    const c = cache();
    const load = jest.fn(async () => ['a']);
    const [x, y] = await Promise.all([
      c.get('k', load, size),
      c.get('k', load, size),
    ]);
    expect(x).toEqual(['a']);
    expect(y).toBe(x);
    now = 799;
    await c.get('k', load, size);
    expect(load).toHaveBeenCalledTimes(1);
    await c.get('other', load, size);
    expect(load).toHaveBeenCalledTimes(2);
    now = 1000;
    await c.get('k', load, size);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('asks again in the background once 80% of the time has passed, answering meanwhile with what it has', async () => {
    const c = cache();
    let version = 0;
    let release: () => void = () => {};
    const load = jest.fn(async () => {
      version++;
      if (version > 1) await new Promise<void>(r => (release = r));
      return [`v${version}`];
    });
    expect(await c.get('k', load, size)).toEqual(['v1']);
    now = 799;
    expect(await c.get('k', load, size)).toEqual(['v1']);
    expect(load).toHaveBeenCalledTimes(1);
    now = 800;
    // Answered at once with v1, v2 asked for once.
    expect(await c.get('k', load, size)).toEqual(['v1']);
    expect(await c.get('k', load, size)).toEqual(['v1']);
    expect(load).toHaveBeenCalledTimes(2);
    release();
    await new Promise(r => setImmediate(r));
    expect(await c.get('k', load, size)).toEqual(['v2']);
    // v2 is as old as its load: good until 1800.
    now = 1799;
    expect(await c.get('k', load, size)).toEqual(['v2']);
  });

  it('waits past the time to live, and retries a refresh that failed', async () => {
    const c = cache();
    let fail = false;
    const load = jest.fn(async () => {
      if (fail) throw new Error('down');
      return ['x'];
    });
    await c.get('k', load, size);
    fail = true;
    now = 900;
    expect(await c.get('k', load, size)).toEqual(['x']);
    await new Promise(r => setImmediate(r));
    now = 1000;
    await expect(c.get('k', load, size)).rejects.toThrow('down');
    fail = false;
    expect(await c.get('k', load, size)).toEqual(['x']);
  });

  it('tells what it has without loading: peek gives a value once it is in, has also while it loads', async () => {
    const c = cache();
    let release: (v: string[]) => void = () => {};
    const loading = c.get('k', () => new Promise(r => (release = r)), size);
    expect(c.peek('k')).toBeUndefined();
    expect(c.has('k')).toBe(true);
    expect(c.has('other')).toBe(false);
    release(['v']);
    await loading;
    expect(c.peek('k')).toEqual({ value: ['v'] });
    now = 1000;
    expect(c.peek('k')).toBeUndefined();
    expect(c.has('k')).toBe(false);
  });

  it('does not keep a failure', async () => {
    const c = cache();
    await expect(
      c.get('k', async () => Promise.reject(new Error('down')), size),
    ).rejects.toThrow('down');
    await expect(c.get('k', async () => ['b'], size)).resolves.toEqual(['b']);
  });

  it('keeps at most maxEntries tokens and maxRefs refs, least recently used out', async () => {
    const c = cache({ maxEntries: 2, maxRefs: 5 });
    const load = jest.fn(async () => ['1', '2']);
    await c.get('a', load, size);
    await c.get('b', load, size);
    await c.get('a', load, size); // a is now the most recent
    await c.get('c', load, size); // b goes
    expect(c.size).toBe(2);
    await c.get('a', load, size);
    expect(load).toHaveBeenCalledTimes(3);
    await c.get('b', load, size);
    expect(load).toHaveBeenCalledTimes(4);
    // A value larger than the whole budget is not kept.
    const big = jest.fn(async () => ['1', '2', '3', '4', '5', '6']);
    await c.get('big', big, size);
    await c.get('big', big, size);
    expect(big).toHaveBeenCalledTimes(2);
  });

  it('keys tokens by a hash of the header, never the header itself', () => {
    const key = tokenKey('Bearer secret-token')!;
    expect(key).not.toContain('secret');
    expect(key).toBe(tokenKey('Bearer secret-token'));
    expect(key).not.toBe(tokenKey('Bearer other-token'));
    expect(tokenKey(undefined)).toBeUndefined();
  });
});
