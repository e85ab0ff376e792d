import { parseLabelSelector } from '@aks-baseline/plugin-aks-baseline-node';
import { anchorOf } from './selector';

describe('anchorOf', () => {
  it('finds an equality to look candidates up by', () => {
    expect(
      anchorOf(
        parseLabelSelector('env!=dev,app=web,track in (stable),!legacy'),
      ),
    ).toEqual({ key: 'app', value: 'web' });
    expect(anchorOf(parseLabelSelector('a in (x)'))).toEqual({
      key: 'a',
      value: 'x',
    });
    expect(anchorOf(parseLabelSelector('a in (x,y)'))).toBeUndefined();
    expect(anchorOf(parseLabelSelector('a notin (x)'))).toBeUndefined();
  });
});
