/*
 * The command line: `aks-baseline scan [inputs...]` (the default command)
 * and `aks-baseline rules`. Parsing and exit codes only; the scan is in
 * ./scan and the formats in ./format.
 */
import * as path from 'path';
import {
  Command,
  CommanderError,
  InvalidArgumentError,
  Option,
} from 'commander';
import { SEVERITIES, Severity } from '@aks-baseline/plugin-aks-baseline-common';
import { EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE, InputError } from './errors';
import { FORMATS, FORMATTERS, FormatName } from './format';
import {
  checksText,
  gateText,
  judgedText,
  scoreText,
  skippedPlace,
} from './format/common';
import { evaluateGate } from './gate';
import { registerFixCommand } from './fix-command';
import { readStream } from './load/inputs';
import { loadRuleSet } from './load/rules';
import { Sink, writeToFile, writeToSink } from './output';
import { ScanReport } from './report';
import { scan, TOOL_NAME, TOOL_VERSION } from './scan';

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIO {
  stdout: Sink & { isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Standard input, read only when `-` is given or input is piped. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: Record<string, string | undefined>;
}

const PROFILES = ['production', 'non-production'];

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseScore(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 0 || n > 100) {
    throw new InvalidArgumentError('expected a whole number from 0 to 100.');
  }
  return n;
}

function parseLabels(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const out = { ...previous };
  for (const part of value.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0) {
      throw new InvalidArgumentError(
        `expected key=value pairs separated by commas, found "${p}".`,
      );
    }
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return out;
}

/** `1.33` (a `v` and a patch are accepted and dropped): the minor to upgrade to. */
function parseTargetVersion(value: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  if (!m) {
    throw new InvalidArgumentError('expected a Kubernetes minor such as 1.33.');
  }
  return `${Number(m[1])}.${Number(m[2])}`;
}

function parseNow(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError('expected an ISO date or timestamp.');
  }
  return d;
}

interface ScanFlags {
  format: FormatName;
  output?: string;
  config?: string;
  rules?: string[];
  profile?: 'production' | 'non-production';
  only?: string[];
  skip?: string[];
  namespace?: string;
  namespaceLabels?: Record<string, string>;
  namespaceContext?: string;
  aks?: string;
  kubectl?: string[];
  failBelow?: number;
  failOn?: Severity;
  failOnUnknown?: boolean;
  allowSkipped?: boolean;
  junitGroup: 'file' | 'category';
  color: boolean;
  now?: Date;
  timings?: boolean;
  targetVersion?: string;
  cluster?: string;
}

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command();
  program
    .name(TOOL_NAME)
    .description(
      'Checks Kubernetes manifests and AKS clusters against the AKS baseline (docs/cli.md).',
    )
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
    })
    .showHelpAfterError('(run aks-baseline scan --help for the options)');

  program
    .command('scan', { isDefault: true })
    .description(
      'Scan manifests (files, folders, - for standard input) and/or a cluster dump; exit 1 when the gate fails, 2 on bad input.',
    )
    .argument(
      '[inputs...]',
      'YAML/JSON files or folders; - (or a pipe) for standard input',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(FORMATS)
        .default('table'),
    )
    .option(
      '-o, --output <file>',
      'write the report to a file instead of standard output',
    )
    .option(
      '-c, --config <file>',
      'baseline configuration (rules, parameters, waivers, profile), YAML or JSON',
    )
    .option(
      '--rules <module>',
      'custom rules from a module (a path, or a package name from the working directory) exporting `rules`; repeatable',
      collect,
    )
    .addOption(
      new Option(
        '-p, --profile <profile>',
        'force the profile instead of the Environment tag/label',
      ).choices(PROFILES),
    )
    .option(
      '--only <rules>',
      'evaluate only these rule ids or baseline keys (comma-separated, repeatable)',
      collect,
    )
    .option(
      '--skip <rules>',
      'leave out these rule ids or baseline keys (comma-separated, repeatable)',
      collect,
    )
    .option(
      '-n, --namespace <name>',
      'namespace of objects that name none (as kubectl apply -n)',
    )
    .option(
      '--namespace-labels <labels>',
      'labels of the target namespace(s) missing from the inputs, k=v,k2=v2',
      parseLabels,
    )
    .option(
      '--namespace-context <file>',
      'Namespace objects (kubectl get ns NAME -o yaml) of the target namespaces',
    )
    .option(
      '--aks <file>',
      'az aks show -o json output of the target cluster (also detected among the inputs)',
    )
    .option(
      '--kubectl <file>',
      'kubectl get -A -o json dump: the cluster is then read as complete (repeatable)',
      collect,
    )
    .addOption(
      new Option(
        '--target-version <minor>',
        'the Kubernetes minor to upgrade to (1.33): objects in an apiVersion it no longer serves are findings',
      ).argParser(parseTargetVersion),
    )
    .option(
      '--cluster <folder>',
      'a cluster snapshot folder: say which objects its admission (Deployment Safeguards, namespace Pod Security) would deny or mutate',
    )
    .option(
      '--fail-below <score>',
      'exit 1 when the score is below this (0-100)',
      parseScore,
    )
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 on any failing finding of this severity or worse',
      ).choices([...SEVERITIES]),
    )
    .option(
      '--fail-on-unknown',
      'exit 1 on checks that could not be decided too (unknown findings at or above --fail-on, or any)',
    )
    .option(
      '--allow-skipped',
      'let a gate pass although inputs were skipped (not judged); they are still listed',
    )
    .addOption(
      new Option(
        '--junit-group <by>',
        'JUnit testsuites per input file or per rule category',
      )
        .choices(['file', 'category'])
        .default('file'),
    )
    .option('--no-color', 'no colours in the table')
    .addOption(
      new Option(
        '--now <timestamp>',
        'evaluation time (waiver expiry), for reproducible reports',
      )
        .argParser(parseNow)
        .hideHelp(),
    )
    .addOption(
      new Option(
        '--timings',
        'print the time of each phase to standard error',
      ).hideHelp(),
    )
    .action(async (inputs: string[], flags: ScanFlags) => {
      exitCode = await runScan(inputs, flags, io);
    });

  registerFixCommand(program, io, code => {
    exitCode = code;
  });

  program
    .command('rules')
    .description('List the rules (id, baseline key, severity, title)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option(
      '--rules <module>',
      'list the custom rules of a module too (as scan --rules); repeatable',
      collect,
    )
    .action(async (flags: { format: 'table' | 'json'; rules?: string[] }) => {
      const ruleSet = await loadRuleSet(flags.rules ?? [], io.cwd);
      const rules = ruleSet.rules.map(r => ({
        id: r.id,
        baselineRef: r.baselineRef,
        category: r.category,
        severity: r.severity,
        scope: r.scope,
        source: r.source,
        manual: Boolean(r.manual),
        title: r.title,
      }));
      if (flags.format === 'json') {
        io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
      } else {
        for (const r of rules) {
          io.stdout.write(
            `${r.baselineRef.padEnd(6)} ${r.severity.padEnd(8)} ${r.id.padEnd(
              44,
            )} ${r.title}${r.manual ? ' (manual)' : ''}\n`,
          );
        }
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every parse error is a usage error.
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT_OK;
      }
      return EXIT_USAGE;
    }
    if (error instanceof InputError) {
      io.stderr.write(`${TOOL_NAME}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/** How many skipped inputs standard error lists before it only counts. */
export const MAX_SKIPPED_LINES = 20;

/** Inputs read but not judged: the first ones on standard error, then a count. */
function writeSkipped(report: ScanReport, stderr: CliIO['stderr']): void {
  const { skipped } = report.inputs;
  for (const s of skipped.slice(0, MAX_SKIPPED_LINES)) {
    stderr.write(`${TOOL_NAME}: ${skippedPlace(s)}: skipped, ${s.reason}\n`);
  }
  if (skipped.length > MAX_SKIPPED_LINES) {
    stderr.write(
      `${TOOL_NAME}: … and ${
        skipped.length - MAX_SKIPPED_LINES
      } more skipped (${skipped.length} in all; the report lists every one)\n`,
    );
  }
}

async function runScan(
  inputs: string[],
  flags: ScanFlags,
  io: CliIO,
): Promise<number> {
  let last = performance.now();
  const mark = (phase: string) => {
    if (!flags.timings) return;
    const now = performance.now();
    io.stderr.write(`${TOOL_NAME}: ${phase} ${(now - last).toFixed(0)} ms\n`);
    last = now;
  };
  if (flags.timings) {
    io.stderr.write(
      `${TOOL_NAME}: startup ${(process.uptime() * 1000).toFixed(
        0,
      )} ms (process start to scan)\n`,
    );
  }
  let list = inputs;
  const piped = io.stdin.isTTY !== true;
  if (list.length === 0 && !flags.kubectl?.length && !flags.aks) {
    if (!piped) {
      throw new InputError(
        'nothing to scan: give files or folders, or pipe manifests (helm template ... | aks-baseline scan -)',
      );
    }
    list = ['-'];
  }
  const report = await scan({
    inputs: list,
    cwd: io.cwd,
    readStdin: async () => {
      const text = await readStream(io.stdin);
      if (text.trim() === '')
        throw new InputError('standard input is empty: nothing to scan');
      return text;
    },
    aks: flags.aks,
    kubectl: flags.kubectl,
    config: flags.config,
    rules: flags.rules,
    profile: flags.profile,
    only: flags.only,
    skip: flags.skip,
    namespace: flags.namespace,
    namespaceLabels: flags.namespaceLabels,
    namespaceContext: flags.namespaceContext,
    targetVersion: flags.targetVersion,
    cluster: flags.cluster,
    now: flags.now,
    mark,
  });
  const gate = evaluateGate(report, {
    failBelow: flags.failBelow,
    failOn: flags.failOn,
    failOnUnknown: flags.failOnUnknown,
    allowSkipped: flags.allowSkipped,
  });
  writeSkipped(report, io.stderr);
  const color =
    flags.format === 'table' &&
    flags.color &&
    !flags.output &&
    io.stdout.isTTY === true &&
    !io.env.NO_COLOR;
  // Made while written: the report is never one string.
  const chunks = FORMATTERS[flags.format]({
    report,
    gate,
    color,
    junitGroup: flags.junitGroup,
  });
  if (flags.output) {
    await writeToFile(chunks, path.resolve(io.cwd, flags.output), flags.output);
    io.stderr.write(
      `${TOOL_NAME}: score ${scoreText(report)}; ${judgedText(
        report,
        ', ',
      )}; checks ${checksText(report, ', ')}; gate ${gateText(
        gate,
        report,
      )}; wrote ${flags.output}\n`,
    );
  } else {
    try {
      await writeToSink(chunks, io.stdout);
    } catch (error) {
      // The reader stopped reading (| head): the gate's verdict still stands.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') {
        throw new InputError(
          `cannot write the report to standard output (${
            (error as Error).message
          })`,
        );
      }
    }
  }
  mark('format and write');
  return gate.passed ? EXIT_OK : EXIT_GATE_FAILED;
}
