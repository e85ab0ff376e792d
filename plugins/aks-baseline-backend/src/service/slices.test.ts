import {
  ITEMS_PER_STEP,
  jsonArraySteps,
  mapSteps,
  runInSlices,
  runToEnd,
  Steps,
} from './slices';

/** Counts turns of the event loop until stopped. */
function ticker() {
  let ticks = 0;
  let running = true;
  const tick = () => {
    ticks++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get ticks() {
      return ticks;
    },
    stop() {
      running = false;
    },
  };
}

describe('slices', () => {
  const items = Array.from({ length: ITEMS_PER_STEP * 5 + 3 }, (_, i) => ({
    i,
    name: `item-${i}`,
    nested: { list: [i, `${i}`], none: undefined },
  }));

  it('writes the same JSON as JSON.stringify', () => {
    const odd = [
      undefined,
      () => 1,
      { toJSON: () => ({ rendered: true }) },
      'a"b\n',
      null,
    ];
    for (const list of [[], [1], items, odd, [...items, ...odd]]) {
      expect(runToEnd(jsonArraySteps(list))).toBe(JSON.stringify(list));
    }
  });

  it('maps like Array.prototype.map', () => {
    expect(runToEnd(mapSteps(items, (item, i) => item.i * 2 + i))).toEqual(
      items.map((item, i) => item.i * 2 + i),
    );
  });

  it('gives the event loop turns while the steps run, and the same result', async () => {
    const clock = ticker();
    const seen: number[] = [];
    function* work(): Steps<number> {
      let sum = 0;
      for (let i = 0; i < 50; i++) {
        seen.push(clock.ticks);
        // About 2 ms of work per step.
        const until = Date.now() + 2;
        while (Date.now() < until) sum++;
        yield;
      }
      return sum > 0 ? 50 : 0;
    }
    try {
      expect(await runInSlices(work(), 5)).toBe(50);
    } finally {
      clock.stop();
    }
    // Other work ran between slices: the ticker moved during the steps.
    expect(seen[seen.length - 1]).toBeGreaterThan(seen[0] + 5);
  });

  it('runs to the end without a turn when asked for the answer at once', () => {
    const clock = ticker();
    try {
      const seen: number[] = [];
      runToEnd(
        mapSteps(items, item => {
          seen.push(clock.ticks);
          return item;
        }),
      );
      expect(new Set(seen).size).toBe(1);
    } finally {
      clock.stop();
    }
  });
});
