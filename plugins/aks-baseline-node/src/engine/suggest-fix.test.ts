/*
 * Fixes are worked out when a finding is read, never while evaluating:
 * compliant subjects cost nothing, and a failure's fix is the rule's on
 * the subject as read.
 */
import { deployment, makeSnapshot } from '../testUtils';
import { containerNoPrivilegeEscalation } from '../rules/pod-security/security-context';
import { evaluate } from './evaluate';
import { fixOf } from './deferred-finding';
import { WorkloadView } from './types';
import { ContainerRule, FixFunction } from './rule';

function counting(rule: ContainerRule) {
  const calls: string[] = [];
  const fix = rule.fix as FixFunction<WorkloadView>;
  const counted: ContainerRule = {
    ...rule,
    fix: (w, evidence, ctx) => {
      calls.push(w.name);
      return fix(w, evidence, ctx);
    },
  };
  return { rule: counted, calls };
}

const compliant = (name: string) =>
  deployment(name, 'shop', {
    containers: [
      {
        name: 'app',
        image: 'x:1',
        securityContext: { allowPrivilegeEscalation: false },
      },
    ],
  });

describe('fixes of findings', () => {
  it('are not worked out while evaluating, only when a failure is read', () => {
    const { rule, calls } = counting(containerNoPrivilegeEscalation);
    const result = evaluate(
      makeSnapshot({
        objects: [
          compliant('ok-1'),
          compliant('ok-2'),
          deployment('bad', 'shop', {
            containers: [{ name: 'app', image: 'x:1' }],
          }),
        ],
      }),
      { rules: [rule] },
    );
    expect(calls).toEqual([]);
    const [finding] = result.findings;
    expect(finding.resource.name).toBe('bad');
    // Not serialised: what the backend stores and the JSON output keep.
    expect(JSON.parse(JSON.stringify(finding))).not.toHaveProperty('fix');
    expect(calls).toEqual([]);

    expect(fixOf(finding)).toMatchObject({
      kind: 'patch',
      format: 'json-patch',
      target: { kind: 'Deployment', name: 'bad', namespace: 'shop' },
      operations: [
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/securityContext',
          value: { allowPrivilegeEscalation: false },
        },
      ],
      yaml: [
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          securityContext:',
        '            allowPrivilegeEscalation: false',
        '',
      ].join('\n'),
    });
    expect(calls).toEqual(['bad']);
  });

  it("say so when a rule's fix throws, without hiding the finding", () => {
    const broken: ContainerRule = {
      ...containerNoPrivilegeEscalation,
      fix: () => {
        throw new Error('boom');
      },
    };
    const result = evaluate(
      makeSnapshot({
        objects: [
          deployment('bad', 'shop', {
            containers: [{ name: 'app', image: 'x:1' }],
          }),
        ],
      }),
      { rules: [broken] },
    );
    expect(result.findings[0].status).toBe('fail');
    expect(fixOf(result.findings[0])).toEqual({
      kind: 'manual',
      reason: "The rule's fix failed to run: boom",
    });
  });
});
