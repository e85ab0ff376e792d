import { ResourceRef } from './finding';

/** One operation of an RFC 6902 JSON Patch. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/**
 * How to fix one finding, worked out by the rule from what it found: an
 * exact change to apply, a command to run, or why it must be done by hand.
 * A rule's `remediation` says the same for every finding, in words.
 */
export type FixSuggestion =
  | {
      kind: 'patch';
      /** The object to change. */
      target: ResourceRef;
      /** `kubectl patch --type json` (RFC 6902), paths as JSON Pointers. */
      format: 'json-patch';
      operations: JsonPatchOperation[];
      /** What the patch does, in one line. */
      summary: string;
    }
  | {
      kind: 'patch';
      target: ResourceRef;
      /** `kubectl patch --type strategic` (containers merged by name). */
      format: 'strategic-merge';
      patch: Record<string, unknown>;
      summary: string;
    }
  | {
      kind: 'command';
      /** A command with the resource's real names, e.g. `az aks update ...`. */
      command: string;
      summary: string;
    }
  | {
      kind: 'manual';
      /** Why no patch or command can do it (e.g. the pool must be recreated). */
      reason: string;
    };
