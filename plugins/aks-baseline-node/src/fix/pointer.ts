/*
 * JSON Pointers (RFC 6901) as path segments, and reading an object along
 * them: what the patch applier, the fragment renderer and the YAML editor
 * share.
 */

/** `/spec/containers/0/name` → `['spec', 'containers', '0', 'name']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw new Error(`Not a JSON Pointer: "${pointer}"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array index segment: digits, or `-` (past the end). */
export function arrayIndex(segment: string, length: number): number {
  if (segment === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(segment)) {
    throw new Error(`"${segment}" is not an array index`);
  }
  return Number(segment);
}

/** The value at the segments, or undefined when any step is missing. */
export function valueAt(root: unknown, segments: readonly string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (isRecord(current)) {
      current = Object.prototype.hasOwnProperty.call(current, segment)
        ? current[segment]
        : undefined;
    } else {
      return undefined;
    }
  }
  return current;
}
