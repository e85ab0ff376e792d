/**
 * A snapshot file could not be read: its `file` and the JSON `path` of the
 * bad value are named in the message, e.g.
 * `clusters/prod/workloads.json: items[3].metadata: expected an object`.
 *
 * @public
 */
export class SnapshotReadError extends Error {
  readonly file: string;
  /** JSON path inside the file (`items[3].metadata`), `''` for the whole file. */
  readonly path: string;

  constructor(file: string, path: string, detail: string) {
    super(`${file}${path ? `: ${path}` : ''}: ${detail}`);
    this.name = 'SnapshotReadError';
    this.file = file;
    this.path = path;
  }
}

/** Describes a value for error messages without dumping it. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length > 40
        ? `a string ("${value.slice(0, 37)}...")`
        : `a string ("${value}")`;
    case 'object':
      return 'an object';
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

/** Appends a property to a JSON path: `a` + `b` → `a.b`; odd keys are quoted. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (safe !== key) return `${path}[${safe}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Runs a reader, turning anything that is not a SnapshotReadError (a stack
 * overflow on absurd nesting, a bug) into one, so callers see one error type.
 */
export function guard<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SnapshotReadError) throw error;
    throw new SnapshotReadError(
      file,
      '',
      `could not be read (${
        error instanceof Error ? error.message : String(error)
      })`,
    );
  }
}
