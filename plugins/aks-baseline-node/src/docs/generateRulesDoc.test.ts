import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOG } from '../rules';
import { generateRulesDoc } from './generateRulesDoc';

const REPO = path.resolve(__dirname, '../../../..');
const RULES_MD = path.join(REPO, 'docs/rules.md');
const RULES_DIR = path.resolve(__dirname, '../rules');

/** Rule id → the source file (from the repository root) whose rule has that id. */
function ruleSourceFiles(): Map<string, string> {
  const found = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/(?<!\.test)\.ts$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/^\s*id: '([a-z0-9-]+)',$/gm)) {
          const files = found.get(m[1]) ?? [];
          files.push(path.relative(REPO, full).split(path.sep).join('/'));
          found.set(m[1], files);
        }
      }
    }
  };
  walk(RULES_DIR);
  const out = new Map<string, string>();
  for (const rule of RULE_CATALOG) {
    const files = found.get(rule.id) ?? [];
    // Exactly one definition per catalog rule, or the link would lie.
    expect([rule.id, files.length]).toEqual([rule.id, 1]);
    out.set(rule.id, files[0]);
  }
  return out;
}

describe('docs/rules.md', () => {
  it('matches the rule catalog (UPDATE_DOCS=1 regenerates it)', () => {
    const generated = generateRulesDoc(RULE_CATALOG, {
      sourceFiles: ruleSourceFiles(),
    });
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

  it('names the file that defines each rule', () => {
    const files = ruleSourceFiles();
    expect(files.get('container-run-as-non-root')).toBe(
      'plugins/aks-baseline-node/src/rules/pod-security/security-context.ts',
    );
    expect(files.get('cis-benchmark-reviewed')).toBe(
      'plugins/aks-baseline-node/src/rules/manual.ts',
    );
    const doc = generateRulesDoc(RULE_CATALOG, { sourceFiles: files });
    for (const [id, file] of files) {
      expect(fs.existsSync(path.join(REPO, file))).toBe(true);
      const section = doc.slice(doc.indexOf(`### ${id}\n`));
      expect(section.slice(0, section.indexOf('\nWhy:'))).toContain(
        `- Defined in: [${file}](../${file})`,
      );
    }
  });
});
