import { ResourceRef } from './finding';

/**
 * One operation of an RFC 6902 JSON Patch.
 *
 * @public
 */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/**
 * What every fix but a manual one may say.
 *
 * @public
 */
export interface FixBase {
  /** What the fix does, in one line. */
  summary: string;
  /**
   * Present when the fix is an example to adapt rather than one to apply as
   * is: what the team must choose or fill in (values marked `<...>` in a
   * patch, an example version or address in a command). `aks-baseline fix`
   * applies only fixes without it.
   */
  adapt?: string;
}

/**
 * A change to one object, as read.
 *
 * @public
 */
export interface PatchBase extends FixBase {
  kind: 'patch';
  /** The object to change. */
  target: ResourceRef;
  /**
   * The change as a YAML fragment of the object (lists of named items,
   * such as containers, merged by name): what to paste. Filled in when the
   * fix is served.
   */
  yaml?: string;
}

/**
 * How to fix one finding, worked out by the rule from what it found: an
 * exact change to apply, an object to add, a command to run, or why it must
 * be done by hand. A rule's `remediation` says the same for every finding,
 * in words.
 *
 * @public
 */
export type FixSuggestion =
  | (PatchBase & {
      /** `kubectl patch --type json` (RFC 6902), paths as JSON Pointers. */
      format: 'json-patch';
      operations: JsonPatchOperation[];
    })
  | (PatchBase & {
      /** `kubectl patch --type strategic` (containers merged by name). */
      format: 'strategic-merge';
      patch: Record<string, unknown>;
    })
  | (FixBase & {
      kind: 'create';
      /** The object to add (`kubectl apply`), complete. */
      object: Record<string, unknown> & {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace?: string };
      };
      /** The object as YAML, ready to add to the manifests. Filled in when served. */
      yaml?: string;
      /** The object whose manifest it belongs next to (same file), when there is one. */
      besides?: ResourceRef;
    })
  | (FixBase & {
      kind: 'command';
      /** A command with the resource's real names, e.g. `az aks update ...`. */
      command: string;
    })
  | {
      kind: 'manual';
      /** Why no patch or command can do it (e.g. the pool must be recreated). */
      reason: string;
    };

/**
 * Whether a fix can be applied as it is (no value left to the team).
 *
 * @public
 */
export function isSafeFix(fix: FixSuggestion | undefined): boolean {
  return (
    fix !== undefined &&
    (fix.kind === 'patch' || fix.kind === 'create') &&
    fix.adapt === undefined
  );
}
