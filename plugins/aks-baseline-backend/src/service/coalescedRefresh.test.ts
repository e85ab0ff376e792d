import { CoalescedRefresh } from './coalescedRefresh';

describe('CoalescedRefresh', () => {
  it('runs the first request at once and merges the ones asked meanwhile into one batch, each item once', async () => {
    const batches: string[][] = [];
    let release!: () => void;
    const refresh = new CoalescedRefresh<string>(
      async items => {
        batches.push([...items].sort());
        if (batches.length === 1) {
          await new Promise<void>(r => {
            release = r;
          });
        }
      },
      item => item,
    );

    const first = refresh.request(['a', 'b']);
    let secondDone = false;
    const second = refresh.request(['b', 'c']).then(() => {
      secondDone = true;
    });
    const third = refresh.request(['c', 'd']);
    // The first batch is running; the others wait for one merged batch.
    expect(batches).toEqual([['a', 'b']]);
    release();
    await first;
    await Promise.all([second, third]);
    expect(secondDone).toBe(true);
    expect(batches).toEqual([
      ['a', 'b'],
      ['b', 'c', 'd'],
    ]);
  });

  it('ends a request even when the refresh fails, and runs the next batch', async () => {
    const batches: string[][] = [];
    const refresh = new CoalescedRefresh<string>(
      async items => {
        batches.push(items);
        if (batches.length === 1) throw new Error('database gone');
      },
      item => item,
    );
    await refresh.request(['a']);
    await refresh.request(['b']);
    expect(batches).toEqual([['a'], ['b']]);
  });
});
