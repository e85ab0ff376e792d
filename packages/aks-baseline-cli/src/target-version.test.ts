import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NOW, runCli } from './testing';

/** A HorizontalPodAutoscaler in autoscaling/v2beta2: served until 1.26. */
const HPA_V2BETA2 = `apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: shop
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 5
`;

let file: string;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-target-'));
  file = path.join(dir, 'hpa.yaml');
  fs.writeFileSync(file, HPA_V2BETA2);
});

async function targetFindings(args: string[]) {
  const run = await runCli([
    'scan',
    file,
    '--format',
    'json',
    '--now',
    NOW,
    ...args,
  ]);
  if (run.code === 2) throw new Error(run.stderr);
  const report = JSON.parse(run.stdout);
  return (report.findings as any[]).filter(
    f => f.ruleId === 'api-version-served-in-target' && f.status === 'fail',
  );
}

describe('scan --target-version', () => {
  it('makes objects in an apiVersion the target minor removed findings', async () => {
    const findings = await targetFindings(['--target-version', '1.33']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      resource: { kind: 'HorizontalPodAutoscaler', name: 'web' },
      message: expect.stringContaining(
        'removed in Kubernetes 1.26: Kubernetes 1.33 refuses it',
      ),
    });
  });

  it('leaves what the target still serves alone, and judges nothing without it', async () => {
    expect(await targetFindings(['--target-version', 'v1.25.4'])).toEqual([]);
    expect(await targetFindings([])).toEqual([]);
  });

  it('refuses a target that is not a minor', async () => {
    const run = await runCli(['scan', file, '--target-version', 'latest']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a Kubernetes minor such as 1.33');
  });
});
