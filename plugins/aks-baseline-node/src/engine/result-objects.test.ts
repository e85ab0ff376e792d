import { RULE_CATALOG } from '../rules';
import { deployment, makeSnapshot, namespaceObject } from '../testUtils';
import { evaluate } from './evaluate';
import { subjectObjectFinder } from './result-objects';

describe('subjectObjectFinder', () => {
  const web = deployment('web', 'shop');
  const shop = namespaceObject('shop');
  const snapshot = makeSnapshot({ objects: [shop, web] });

  it("finds each subject's own object in the evaluation's index", () => {
    const result = evaluate(snapshot, { rules: RULE_CATALOG });
    const find = subjectObjectFinder(result)!;
    expect(find).toBeDefined();
    const webRef = result.subjects.find(s => s.ref.kind === 'Deployment')!.ref;
    const shopRef = result.subjects.find(s => s.ref.kind === 'Namespace')!.ref;
    expect(find(webRef)).toBe(web);
    expect(find(shopRef)).toBe(shop);
    expect(find({ kind: 'Deployment', name: 'gone', namespace: 'shop' })).toBe(
      undefined,
    );
  });

  it('has nothing for a result that did not come from the engine here', () => {
    const result = evaluate(snapshot, { rules: RULE_CATALOG });
    expect(subjectObjectFinder(JSON.parse(JSON.stringify(result)))).toBe(
      undefined,
    );
  });
});
