/*
 * The adversarial corpus (__fixtures__/adversarial, see its README) through
 * the whole CLI: each file named alone with --fail-on critical ends with the
 * exit code, findings and message its expected.json gives. Inputs git cannot
 * hold (devices, FIFOs, symbolic links) are made here.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, runCli } from './testing';

const CORPUS = path.join(FIXTURES, 'adversarial');
const expected: Record<
  string,
  {
    exit: number;
    findings?: Array<{ ruleId: string; status: string }>;
    stderr?: string;
  }
> = JSON.parse(fs.readFileSync(path.join(CORPUS, 'expected.json'), 'utf8'));

async function scan(args: string[], cwd: string) {
  const run = await runCli(
    ['scan', ...args, '--fail-on', 'critical', '-f', 'json'],
    { cwd },
  );
  const findings =
    run.stdout.trim() === ''
      ? []
      : JSON.parse(run.stdout).findings.map((f: any) => ({
          ruleId: f.ruleId,
          status: f.status,
        }));
  return { code: run.code, findings, stderr: run.stderr };
}

describe('adversarial corpus', () => {
  it('has every file of the folder in expected.json', () => {
    const files = fs
      .readdirSync(CORPUS)
      .filter(f => /\.(ya?ml|json)$/.test(f) && f !== 'expected.json');
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: exit ${want.exit}`, async () => {
      const run = await scan([file], CORPUS);
      expect(run.code).toBe(want.exit);
      expect(run.findings).toEqual(expect.arrayContaining(want.findings ?? []));
      expect(run.stderr).toContain(want.stderr ?? '');
      // Never a stack trace.
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    });
  }
});

describe('adversarial inputs git cannot hold', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-baseline-adversarial-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses /dev/zero and a FIFO named as input', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    for (const input of ['/dev/zero', 'pipe.yaml']) {
      const run = await scan([input], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/not a file or folder: only regular files/);
    }
  });

  it('scans through links, lists what it cannot scan, and fails the gate on it', async () => {
    const copy = (name: string, to: string) =>
      fs.copyFileSync(path.join(CORPUS, name), path.join(dir, to));
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.mkdirSync(path.join(dir, 'm'));
    copy('yaml11-privileged-on.yaml', 'elsewhere/linked.yaml');
    copy('utf16le-bom.yaml', 'm/utf16.yaml');
    copy('envsubst-image.yaml', 'm/envsubst.yaml');
    copy('helm-template-parses.yaml', 'm/chart.yaml');
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'm/linked'));
    fs.symlinkSync(
      path.join(dir, 'gone.yaml'),
      path.join(dir, 'm/broken.yaml'),
    );
    fs.symlinkSync(path.join(dir, 'm'), path.join(dir, 'm/loop'));
    execFileSync('mkfifo', [path.join(dir, 'm/pipe.yaml')]);

    const run = await runCli(
      ['scan', 'm', '--fail-on', 'critical', '-f', 'json'],
      {
        cwd: dir,
      },
    );
    const report = JSON.parse(run.stdout);
    expect(report.inputs.files).toEqual([
      'm/chart.yaml',
      'm/envsubst.yaml',
      'm/linked/linked.yaml',
      'm/utf16.yaml',
    ]);
    expect(
      report.findings
        .filter((f: any) => f.ruleId === 'container-not-privileged')
        .map((f: any) => f.location.file),
    ).toEqual(['m/linked/linked.yaml', 'm/utf16.yaml']);
    const skipped = report.inputs.skipped.map((s: any) => [
      s.file,
      s.line,
      s.reason.slice(0, 30),
    ]);
    expect(skipped).toEqual(
      expect.arrayContaining([
        ['m/broken.yaml', undefined, 'a broken symbolic link (its ta'],
        ['m/chart.yaml', 4, 'a template (unrendered Helm ac'],
        ['m/envsubst.yaml', 16, 'a template (unsubstituted plac'],
        ['m/pipe.yaml', undefined, 'a FIFO (named pipe): only regu'],
      ]),
    );
    expect(report.inputs.skipped).toHaveLength(4);
    expect(run.code).toBe(1);
  });
});
