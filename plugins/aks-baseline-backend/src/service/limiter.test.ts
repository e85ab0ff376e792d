import {
  ClusterTimeoutError,
  mapWithConcurrency,
  withTimeout,
} from './limiter';

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency(
      [30, 5, 20, 1, 10, 2],
      2,
      async (ms, i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise(r => setTimeout(r, ms));
        running--;
        if (i === 3) throw new Error('boom');
        return i;
      },
    );
    expect(peak).toBe(2);
    expect(results.map(r => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(results[4]).toEqual({ status: 'fulfilled', value: 4 });
  });

  it('handles no items', async () => {
    expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([]);
  });
});

describe('withTimeout', () => {
  it('aborts the signal and stops waiting when the time is up', async () => {
    let seen: AbortSignal | undefined;
    const never = withTimeout(20, undefined, signal => {
      seen = signal;
      return new Promise(() => {});
    });
    await expect(never).rejects.toBeInstanceOf(ClusterTimeoutError);
    await expect(never).rejects.toThrow('Timed out after 20 ms');
    expect(seen?.aborted).toBe(true);
  });

  it('returns the result when in time', async () => {
    await expect(withTimeout(1000, undefined, async () => 'ok')).resolves.toBe(
      'ok',
    );
  });

  it('follows the parent signal', async () => {
    const parent = new AbortController();
    const p = withTimeout(10_000, parent.signal, () => new Promise(() => {}));
    parent.abort();
    await expect(p).rejects.toThrow('cancelled');
  });
});
