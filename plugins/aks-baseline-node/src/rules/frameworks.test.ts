import {
  Finding,
  mapsToFramework,
  PodSecurityLevel,
} from '@aks-baseline/plugin-aks-baseline-common';
import { DeploymentSafeguardsModel } from '../engine/types';
import { admissionControl } from '../safeguards/admission';
import { RULE_CATALOG } from '.';
import { RULE_FRAMEWORKS } from './frameworks';

/** The CIS AKS Benchmark v1.7.0 sections the ids may come from. */
const CIS_AKS_SECTIONS = /^(2\.1|3\.[12]|4\.[1-6]|5\.[1-5])\.\d{1,2}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function finding(ruleId: string): Finding {
  return {
    ruleId,
    baselineRef: 'PS-01',
    category: 'pod-security',
    severity: 'high',
    status: 'fail',
    resource: { kind: 'Deployment', name: 'web', namespace: 'shop' },
    message: 'm',
  };
}

function safeguards(pss: string): DeploymentSafeguardsModel[] {
  return [{ name: 'default', level: 'Warn', podSecurityStandardsLevel: pss }];
}

/** Policy names compared as words (the admission module spells one differently). */
function words(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

describe('rule frameworks', () => {
  it('maps catalog rules only, and the catalog carries the mapping', () => {
    const ids = new Set(RULE_CATALOG.map(r => r.id));
    expect(Object.keys(RULE_FRAMEWORKS).filter(id => !ids.has(id))).toEqual([]);
    for (const [id, frameworks] of Object.entries(RULE_FRAMEWORKS)) {
      expect([id, RULE_CATALOG.find(r => r.id === id)?.frameworks]).toEqual([
        id,
        frameworks,
      ]);
    }
  });

  it('gives every built-in pod-security rule its Pod Security Standards level, or why it has none', () => {
    const podSecurity = RULE_CATALOG.filter(r => r.category === 'pod-security');
    expect(podSecurity.length).toBeGreaterThan(6);
    const unmapped = podSecurity.filter(rule => {
      const pss = rule.frameworks?.podSecurityStandards;
      if (!pss) return true;
      return pss.level === null
        ? pss.reason.length < 20
        : !['baseline', 'restricted'].includes(pss.level) ||
            pss.controls.length === 0;
    });
    expect(unmapped.map(r => r.id)).toEqual([]);
    // Every container or pod check of the section names a level.
    expect(
      podSecurity
        .filter(
          r =>
            r.scope === 'workload' &&
            r.id !== 'container-read-only-root-filesystem',
        )
        .filter(r => !r.frameworks?.podSecurityStandards?.level)
        .map(r => r.id),
    ).toEqual([]);
  });

  it('agrees with admission: a Safeguards level refuses exactly what its Pod Security Standards level covers', () => {
    const rank: Record<PodSecurityLevel, number> = {
      baseline: 1,
      restricted: 2,
    };
    for (const rule of RULE_CATALOG) {
      const pss = rule.frameworks?.podSecurityStandards;
      if (!pss?.level || rule.scope !== 'workload') continue;
      for (const level of ['baseline', 'restricted'] as const) {
        const acted = admissionControl(finding(rule.id), safeguards(level));
        expect([rule.id, level, acted?.by]).toEqual([
          rule.id,
          level,
          rank[level] >= rank[pss.level] ? 'Pod Security Standards' : undefined,
        ]);
      }
    }
  });

  it('lists the Safeguards policy admission names for each rule it acts on', () => {
    for (const rule of RULE_CATALOG) {
      const acted = admissionControl(
        finding(rule.id),
        safeguards('Privileged'),
      );
      if (acted?.by !== 'Deployment Safeguards') continue;
      const names = (rule.frameworks?.azurePolicy ?? [])
        .filter(p => p.deploymentSafeguards)
        .map(p => words(p.displayName));
      expect([rule.id, names]).toEqual([
        rule.id,
        expect.arrayContaining([words(acted.policy)]),
      ]);
    }
  });

  it('uses well-formed ids: CIS recommendations of the benchmark, policy definition GUIDs', () => {
    const names = new Map<string, string>();
    for (const [id, f] of Object.entries(RULE_FRAMEWORKS)) {
      for (const cis of f.cisAks ?? []) {
        expect([id, cis, CIS_AKS_SECTIONS.test(cis)]).toEqual([id, cis, true]);
      }
      expect(new Set(f.cisAks).size).toBe(f.cisAks?.length ?? 0);
      for (const p of f.azurePolicy ?? []) {
        expect([id, p.id, GUID.test(p.id)]).toEqual([id, p.id, true]);
        // One definition, one display name.
        expect(names.get(p.id) ?? p.displayName).toBe(p.displayName);
        names.set(p.id, p.displayName);
      }
    }
    expect(names.size).toBeGreaterThan(20);
  });

  it('tells which framework a rule maps to', () => {
    const byId = (id: string) => RULE_CATALOG.find(r => r.id === id)!;
    expect(
      mapsToFramework(byId('container-not-privileged').frameworks, 'cis-aks'),
    ).toBe(true);
    expect(
      mapsToFramework(
        byId('container-read-only-root-filesystem').frameworks,
        'pod-security-standards',
      ),
    ).toBe(false);
    expect(
      mapsToFramework(
        byId('container-resource-requests').frameworks,
        'azure-policy',
      ),
    ).toBe(true);
    expect(
      mapsToFramework(
        byId('container-resource-requests').frameworks,
        'cis-aks',
      ),
    ).toBe(false);
    expect(mapsToFramework(undefined, 'azure-policy')).toBe(false);
  });
});
