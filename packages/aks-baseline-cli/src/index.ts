/**
 * The AKS baseline scanner for CI pipelines: `aks-baseline scan` over
 * Kubernetes manifests, `kubectl get -A -o json` dumps and `az aks show`
 * output, with table, JSON, SARIF, JUnit and Markdown reports.
 *
 * @packageDocumentation
 */
import { main } from './cli';

export { main, type CliIO } from './cli';
export {
  scan,
  loadConfig,
  resolveRuleSelection,
  type ScanOptions,
} from './scan';
export { evaluateGate, type GateOptions, type GateResult } from './gate';
export {
  FORMATS,
  FORMATTERS,
  JSON_SCHEMA_VERSION,
  type FormatName,
} from './format';
export { parseSource, type SourceDocument } from './load/documents';
export { InputError, EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE } from './errors';
export type {
  Location,
  ReportFinding,
  ReportRule,
  ReportSubject,
  ScanReport,
} from './report';

/** Runs the CLI on this process's arguments and streams; sets the exit code. */
export function run(): void {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
  }).then(
    code => {
      process.exitCode = code;
    },
    error => {
      process.stderr.write(
        `aks-baseline: internal error: ${error?.stack ?? error}\n`,
      );
      process.exitCode = 2;
    },
  );
}
