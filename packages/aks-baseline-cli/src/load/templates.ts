/*
 * Templates that were never rendered (Helm, scaffolder skeletons, envsubst)
 * are found by the engine's parser, which every reader shares; here its
 * error becomes the CLI's, with the command that renders the text. A
 * template named on the command line is an input error; one found while
 * walking a folder is skipped (scan.ts).
 */
import { UnrenderedTemplateError as EngineTemplateError } from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from '../errors';

/** A template that was never rendered; `reason` says what was found. */
export class UnrenderedTemplateError extends InputError {
  readonly reason: string;

  constructor(reason: string, file: string, line?: number) {
    super(reason, file, line);
    this.name = 'UnrenderedTemplateError';
    this.reason = reason;
  }
}

const HINTS: Record<EngineTemplateError['kind'], string> = {
  helm: ', e.g. helm template ... | aks-baseline scan -',
  expression: '',
  envsubst: ', e.g. envsubst < FILE | aks-baseline scan -',
};

/** The engine's refusal of a template, with the CLI's hint. */
export function fromEngineTemplateError(
  error: EngineTemplateError,
): UnrenderedTemplateError {
  const problem = error.problem ? ` (as it is: ${error.problem})` : '';
  return new UnrenderedTemplateError(
    `${error.summary}${HINTS[error.kind]}${problem}`,
    error.file,
    error.line,
  );
}
