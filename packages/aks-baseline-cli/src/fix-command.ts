/*
 * The `fix` command's options and what it prints: the diff on a dry run
 * (standard output, ready for `git apply`), then what was fixed, what was
 * left and why.
 */
import { Command, Option } from 'commander';
import { describeResource } from './report';
import { EXIT_OK } from './errors';
import { fixDiff, FixRun, runFix } from './fix';
import { scan, TOOL_NAME } from './scan';
import type { CliIO } from './cli';

interface FixFlags {
  dryRun?: boolean;
  rules?: string[];
  config?: string;
  profile?: 'production' | 'non-production';
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  namespaceContext?: string;
  now?: Date;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** What was done and left, one line each. */
export function fixSummary(run: FixRun, scoreAfter?: number): string[] {
  const out: string[] = [];
  const verb =
    run.changes.length > 0 && scoreAfter === undefined ? 'would fix' : 'fixed';
  for (const change of run.changes) {
    const rules = [...new Set(change.fixed.map(f => f.finding.ruleId))];
    out.push(
      `${verb} ${change.fixed.length} finding${
        change.fixed.length === 1 ? '' : 's'
      } in ${change.file} (${rules.join(', ')})`,
    );
  }
  for (const n of run.notEdited) out.push(`not edited ${n.file}: ${n.reason}`);
  for (const n of run.notApplied) {
    out.push(
      `not applied ${n.finding.ruleId} on ${describeResource(
        n.finding.resource,
      )}: ${n.reason}`,
    );
  }
  for (const a of run.toAdapt) {
    const adapt = 'adapt' in a.fix ? a.fix.adapt : undefined;
    out.push(
      `to adapt ${a.finding.ruleId} on ${describeResource(
        a.finding.resource,
      )}: ${'summary' in a.fix ? a.fix.summary : ''}${
        adapt ? ` (${adapt})` : ''
      }`,
    );
  }
  const fixed = run.changes.reduce((n, c) => n + c.fixed.length, 0);
  if (fixed === 0) out.push('nothing to fix safely');
  else if (scoreAfter !== undefined) {
    out.push(`score ${run.report.summary.score} → ${scoreAfter}`);
  }
  return out;
}

/** Adds `aks-baseline fix` to the program. */
export function registerFixCommand(
  program: Command,
  io: CliIO,
  setExitCode: (code: number) => void,
): void {
  program
    .command('fix')
    .description(
      'Apply the safe fixes of the failing findings to the manifests in place (comments and layout kept); --dry-run prints the diff instead.',
    )
    .argument('<inputs...>', 'YAML files or folders')
    .option('--dry-run', 'print a unified diff; change nothing')
    .option(
      '--rules <rules>',
      'fix only these rule ids or baseline keys (comma-separated, repeatable)',
      collect,
    )
    .option('-c, --config <file>', 'baseline configuration, as for scan')
    .addOption(
      new Option('-p, --profile <profile>', 'force the profile').choices([
        'production',
        'non-production',
      ]),
    )
    .option(
      '-n, --namespace <name>',
      'namespace of objects that name none (as kubectl apply -n)',
    )
    .option(
      '--namespace-context <file>',
      'Namespace objects of the target namespaces, as for scan',
    )
    .addOption(new Option('--now <timestamp>').hideHelp())
    .action(async (inputs: string[], flags: FixFlags) => {
      const options = {
        inputs,
        cwd: io.cwd,
        config: flags.config,
        profile: flags.profile,
        namespace: flags.namespace,
        namespaceContext: flags.namespaceContext,
        now: flags.now ? new Date(String(flags.now)) : undefined,
        rules: flags.rules,
      };
      const run = await runFix({ ...options, dryRun: flags.dryRun });
      let scoreAfter: number | undefined;
      if (flags.dryRun) {
        io.stdout.write(fixDiff(run));
      } else if (run.changes.length > 0) {
        const after = await scan({
          ...options,
          rules: undefined,
          readStdin: async () => '',
        });
        scoreAfter = after.summary.score ?? undefined;
      }
      const summary = fixSummary(run, scoreAfter);
      const sink = flags.dryRun ? io.stderr : io.stdout;
      for (const line of summary) sink.write(`${TOOL_NAME}: ${line}\n`);
      setExitCode(EXIT_OK);
    });
}
