import { batchesByParts } from './partBatches';

const t = (entityRef: string) => ({ entityRef });

describe('batchesByParts', () => {
  it('keeps each batch within the parts, in order, an entity never split', () => {
    const targets = ['a', 'b', 'c', 'd', 'e'].map(t);
    const parts = new Map([
      ['a', 3],
      ['b', 3],
      ['c', 5],
      ['d', 1],
    ]);
    expect(
      batchesByParts(targets, parts, 6).map(b => b.map(x => x.entityRef)),
    ).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
  });

  it('gives an entity with more parts than a batch a batch of its own', () => {
    const targets = ['a', 'b', 'c'].map(t);
    const parts = new Map([
      ['a', 1],
      ['b', 50],
      ['c', 1],
    ]);
    expect(
      batchesByParts(targets, parts, 10).map(b => b.map(x => x.entityRef)),
    ).toEqual([['a'], ['b'], ['c']]);
  });

  it('puts entities with no part together, and nothing in no batch', () => {
    expect(batchesByParts(['a', 'b'].map(t), new Map(), 1)).toEqual([
      [t('a'), t('b')],
    ]);
    expect(batchesByParts([], new Map(), 1)).toEqual([]);
  });
});
