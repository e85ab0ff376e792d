/** A usage or input problem: reported on stderr with exit code 2. */
export class InputError extends Error {
  readonly file?: string;
  readonly line?: number;

  constructor(message: string, file?: string, line?: number) {
    super(
      file
        ? `${file}${line !== undefined ? `:${line}` : ''}: ${message}`
        : message,
    );
    this.name = 'InputError';
    this.file = file;
    this.line = line;
  }
}

/** Exit codes: the gate passed, the gate failed, usage or input error. */
export const EXIT_OK = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_USAGE = 2;
