import { Slots } from './slots';

describe('Slots', () => {
  it('runs at most `limit` calls at once, the others in order, and frees a slot on failure', async () => {
    const slots = new Slots(2);
    const order: string[] = [];
    const gates: Record<string, () => void> = {};
    const call = (name: string, fail = false) =>
      slots.run(
        () =>
          new Promise<string>((resolve, reject) => {
            order.push(`start ${name}`);
            gates[name] = () =>
              fail ? reject(new Error(name)) : resolve(name);
          }),
      );
    const a = call('a', true);
    const b = call('b');
    const c = call('c');
    const d = call('d');
    await Promise.resolve();
    expect(order).toEqual(['start a', 'start b']);
    expect(slots.load).toEqual({ running: 2, waiting: 2 });
    gates.a();
    await expect(a).rejects.toThrow('a');
    await new Promise(r => setImmediate(r));
    expect(order).toEqual(['start a', 'start b', 'start c']);
    gates.b();
    gates.c();
    await expect(b).resolves.toBe('b');
    await expect(c).resolves.toBe('c');
    await new Promise(r => setImmediate(r));
    gates.d();
    await expect(d).resolves.toBe('d');
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });
});
