/*
 * Where things are in the inputs: each object's file and line (the n-th
 * finding of a rule on an object name goes to the n-th object of that
 * name), and the line of each agent pool in `az aks show` output.
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  ClusterSnapshot,
  isNamespacedKind,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputText } from './load/inputs';
import { SourceDocument } from './load/documents';
import { Location, SkippedDocument } from './report';

/** What reading the inputs gives: the engine's snapshot, and where everything is. */
export interface ReadInputs {
  snapshot: ClusterSnapshot;
  index: LocationIndex;
  aks?: AksDocument;
  /** Display names of the files read, in order (duplicates allowed). */
  files: string[];
  skipped: SkippedDocument[];
  /** Objects of kinds no rule reads, by kind. */
  ignoredKinds: Record<string, number>;
  /** The snapshot folder, when the input was one. */
  snapshotFolder?: string;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where each object of the inputs is: by kind, namespace and name. */
export class LocationIndex {
  private readonly byKey = new Map<string, Location[]>();
  private readonly firstInNamespace = new Map<string, Location>();
  private readonly used = new Map<string, number>();
  /** Namespaces objects are in (for namespace context). */
  readonly namespaces = new Set<string>();
  /** Namespace objects given in the inputs. */
  readonly declaredNamespaces = new Set<string>();

  add(object: unknown, location: Location): void {
    if (!isObject(object)) return;
    const kind = typeof object.kind === 'string' ? object.kind : undefined;
    const meta = object.metadata;
    if (!kind || !isObject(meta) || typeof meta.name !== 'string') return;
    let ns = '';
    if (isNamespacedKind(kind)) {
      ns =
        typeof meta.namespace === 'string' && meta.namespace
          ? meta.namespace
          : 'default';
      this.namespaces.add(ns);
      if (!this.firstInNamespace.has(ns))
        this.firstInNamespace.set(ns, location);
    } else if (kind === 'Namespace') {
      this.declaredNamespaces.add(meta.name);
    }
    const key = `${kind}\u0000${ns}\u0000${meta.name}`;
    const list = this.byKey.get(key);
    if (list) list.push(location);
    else this.byKey.set(key, [location]);
  }

  /** The first place of an object (subjects). */
  first(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Location | undefined {
    const list = this.byKey.get(`${kind}\u0000${namespace ?? ''}\u0000${name}`);
    if (list) return list[0];
    return kind === 'Namespace' ? this.firstInNamespace.get(name) : undefined;
  }

  /** The n-th finding of a rule on the same object name gets the n-th object's place. */
  locate(
    ruleId: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Location | undefined {
    const key = `${kind}\u0000${namespace ?? ''}\u0000${name}`;
    const list = this.byKey.get(key);
    if (!list) {
      return kind === 'Namespace' ? this.firstInNamespace.get(name) : undefined;
    }
    if (list.length === 1) return list[0];
    const useKey = `${ruleId}\u0000${key}`;
    const n = this.used.get(useKey) ?? 0;
    this.used.set(useKey, n + 1);
    return list[Math.min(n, list.length - 1)];
  }
}

/** `az aks show` output among the inputs, with the line of each agent pool. */
export interface AksDocument {
  file: string;
  line: number;
  value: unknown;
  /** Agent pool name → line of its entry. */
  poolLines: Map<string, number>;
}

export function aksDocument(
  input: InputText,
  doc: SourceDocument,
): AksDocument {
  const poolLines = new Map<string, number>();
  // Small document: the full parser gives every pool's line.
  const counter = new LineCounter();
  const parsed = parseDocument(input.text, { lineCounter: counter });
  for (const p of [
    ['agentPoolProfiles'],
    ['properties', 'agentPoolProfiles'],
  ]) {
    const seq = parsed.getIn(p, true);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      if (!isMap(item)) continue;
      const name = item.get('name');
      const first = item.items[0]?.key as any;
      const offset = first?.range?.[0] ?? item.range?.[0];
      if (typeof name === 'string' && typeof offset === 'number') {
        poolLines.set(name, counter.linePos(offset).line);
      }
    }
  }
  return { file: doc.file, line: doc.line, value: doc.value, poolLines };
}
