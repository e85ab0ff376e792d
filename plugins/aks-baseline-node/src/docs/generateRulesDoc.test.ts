import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOG } from '../rules';
import { generateRulesDoc } from './generateRulesDoc';

const RULES_MD = path.resolve(__dirname, '../../../../docs/rules.md');

describe('docs/rules.md', () => {
  it('matches the rule catalog (UPDATE_DOCS=1 regenerates it)', () => {
    const generated = generateRulesDoc();
    if (process.env.UPDATE_DOCS === '1') {
      fs.writeFileSync(RULES_MD, generated);
    }
    const current = fs.existsSync(RULES_MD)
      ? fs.readFileSync(RULES_MD, 'utf8')
      : '';
    expect(current).toBe(generated);
  });

  it('documents every rule with its fix', () => {
    const doc = generateRulesDoc([
      {
        id: 'x-rule',
        baselineRef: 'PS-05',
        category: 'pod-security',
        severity: 'high',
        title: 'Drop | all',
        rationale: 'Because.',
        remediation: {
          summary: 'Drop them.',
          snippet: 'capabilities:\n  drop: ["ALL"]\n',
        },
        scope: 'workload',
        source: 'kubernetes',
        appliesTo: { kinds: ['Deployment'], profiles: ['production'] },
        check: () => ({ status: 'pass' }),
      },
    ]);
    expect(doc).toContain(
      '| [`x-rule`](#x-rule) | PS-05 | high | workload (Deployment) — production only | Kubernetes | Drop \\| all |',
    );
    expect(doc).toContain('### x-rule');
    expect(doc).toContain(
      'Fix: Drop them.\n\n```yaml\ncapabilities:\n  drop: ["ALL"]\n```',
    );
  });

  it('uses real rule ids in docs/waivers.md', () => {
    const text = fs.readFileSync(
      path.resolve(__dirname, '../../../../docs/waivers.md'),
      'utf8',
    );
    const ids = new Set(RULE_CATALOG.map(r => r.id));
    const used = [
      ...[...text.matchAll(/aks-baseline\.io\/waive\.([a-z0-9-]+)/g)].map(
        m => m[1],
      ),
      ...[...text.matchAll(/ruleId: ([a-z0-9-]+)/g)].map(m => m[1]),
      ...[...text.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map(m => m[1]),
    ].filter(id => id !== 'rule-id' && id !== 'annotations');
    expect(used.length).toBeGreaterThan(4);
    expect(used.filter(id => !ids.has(id))).toEqual([]);
  });
});
