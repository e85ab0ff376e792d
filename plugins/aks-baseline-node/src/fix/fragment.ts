/*
 * The YAML a fix shows: for a JSON Patch, the part of the object it
 * changes, with list items named (containers, volumes) so that it reads
 * like the manifest and merges as `kubectl patch --type strategic` would;
 * for a strategic merge patch or a new object, the object itself.
 */
import {
  FixSuggestion,
  JsonPatchOperation,
} from '@aks-baseline/plugin-aks-baseline-common';
import { stringify } from 'yaml';
import { plainYaml } from './plain-yaml';
import { arrayIndex, isRecord, parsePointer, valueAt } from './pointer';

type Fragment = Record<string, unknown> | unknown[];

/**
 * The fragment of `object` that the operations change (removals as null).
 *
 * @public
 */
export function patchFragment(
  object: unknown,
  operations: readonly JsonPatchOperation[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const operation of operations) {
    if (operation.op === 'test') continue;
    const segments = parsePointer(operation.path);
    let value: unknown = null;
    if ('value' in operation) value = operation.value;
    else if ('from' in operation) {
      value = valueAt(object, parsePointer(operation.from));
    }
    place(out, object, segments, value);
  }
  return out;
}

function place(
  out: Fragment,
  original: unknown,
  segments: readonly string[],
  value: unknown,
): void {
  let target: Fragment = out;
  let source = original;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (Array.isArray(source) || (Array.isArray(target) && !last)) {
      const list = Array.isArray(source) ? source : [];
      const index = arrayIndex(segment, list.length);
      const item = list[index];
      const name = isRecord(item) ? item.name : undefined;
      const items = target as unknown[];
      if (last) {
        items.push(value);
        return;
      }
      // Named items (containers, volumes) are merged by name, as kubectl does.
      let next = items.find(
        x => typeof name === 'string' && isRecord(x) && x.name === name,
      ) as Fragment | undefined;
      if (!next) {
        next = typeof name === 'string' ? { name } : {};
        items.push(next);
      }
      target = next;
      source = item;
      continue;
    }
    const record = target as Record<string, unknown>;
    if (last) {
      record[segment] = value;
      return;
    }
    const child = isRecord(source) ? source[segment] : undefined;
    let next = record[segment] as Fragment | undefined;
    if (!next || typeof next !== 'object') {
      next = Array.isArray(child) ? [] : {};
      record[segment] = next;
    }
    target = next;
    source = child;
  }
}

/**
 * YAML for a fragment or object, in the layout kubectl and Helm use.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  return plainYaml(value) ?? yamlPackage(value);
}

/** `toYaml` by the `yaml` package: every shape. */
export function yamlPackage(value: unknown): string {
  return stringify(value, {
    lineWidth: 0,
    indentSeq: true,
    aliasDuplicateObjects: false,
  });
}

/**
 * The fix as served: a patch or new object with its YAML filled in from the
 * object it was worked out from (`object`, the subject's manifest).
 */
export function withYaml(fix: FixSuggestion, object: unknown): FixSuggestion {
  if (fix.kind === 'patch' && fix.yaml === undefined) {
    const fragment =
      fix.format === 'json-patch'
        ? patchFragment(object, fix.operations)
        : fix.patch;
    return { ...fix, yaml: toYaml(fragment) };
  }
  if (fix.kind === 'create' && fix.yaml === undefined) {
    return { ...fix, yaml: toYaml(fix.object) };
  }
  return fix;
}
