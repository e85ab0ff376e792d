import { addFindingCounts, countFindings, emptyFindingCounts } from './counts';
import { Finding } from './finding';

describe('countFindings', () => {
  const f = (status: Finding['status'], severity: Finding['severity']) => ({
    status,
    severity,
  });

  it('counts failures by severity and every other status once', () => {
    expect(
      countFindings([
        f('fail', 'critical'),
        f('fail', 'low'),
        f('fail', 'low'),
        f('waived', 'high'),
        f('unknown', 'medium'),
        f('manual', 'medium'),
        f('not-applicable', 'high'),
      ]),
    ).toEqual({
      failing: { critical: 1, high: 0, medium: 0, low: 2 },
      waived: 1,
      unknown: 1,
      manual: 1,
      notApplicable: 1,
    });
  });

  it('adds counts', () => {
    const total = addFindingCounts(
      emptyFindingCounts(),
      countFindings([f('fail', 'high'), f('waived', 'low')]),
    );
    addFindingCounts(total, countFindings([f('fail', 'high')]));
    expect(total.failing.high).toBe(2);
    expect(total.waived).toBe(1);
  });
});
