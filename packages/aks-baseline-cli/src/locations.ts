/*
 * Where things are in the inputs: each object's file and line (the n-th
 * finding of a rule on an object name goes to the n-th object of that
 * name), and the line of each agent pool in `az aks show` output.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import {
  ClusterSnapshot,
  KindTable,
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

  /** `kinds`: the kinds the scan's rules read (custom cluster-scoped kinds). */
  constructor(private readonly kinds: KindTable = new KindTable()) {}

  add(object: unknown, location: Location): void {
    if (!isObject(object)) return;
    const kind = typeof object.kind === 'string' ? object.kind : undefined;
    const meta = object.metadata;
    if (!kind || !isObject(meta) || typeof meta.name !== 'string') return;
    let ns = '';
    if (this.kinds.isNamespaced(kind)) {
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

/** The agent pool list of a managed cluster document, if any. */
function agentPools(value: unknown): unknown[] {
  if (!isObject(value)) return [];
  if (Array.isArray(value.agentPoolProfiles)) return value.agentPoolProfiles;
  const props = value.properties;
  return isObject(props) && Array.isArray(props.agentPoolProfiles)
    ? props.agentPoolProfiles
    : [];
}

/**
 * The managed cluster document and each agent pool's line. Values are the
 * engine parser's (YAML as kubectl reads it); the `yaml` package's tree of
 * the same text only gives the n-th pool entry's line.
 */
export function aksDocument(
  input: InputText,
  doc: SourceDocument,
): AksDocument {
  const poolLines = new Map<string, number>();
  const pools = agentPools(doc.value);
  if (pools.length > 0) {
    const counter = new LineCounter();
    // The document of the stream that holds this one (az output is one).
    const parsed = parseAllDocuments(input.text, { lineCounter: counter });
    const docs = Array.isArray(parsed) ? parsed : [];
    const startLine = (d: (typeof docs)[number]) =>
      counter.linePos(d.contents?.range?.[0] ?? d.range[0]).line;
    let tree = docs[0];
    for (const d of docs) if (startLine(d) <= doc.line) tree = d;
    for (const p of [
      ['agentPoolProfiles'],
      ['properties', 'agentPoolProfiles'],
    ]) {
      const seq = tree?.getIn(p, true);
      if (!isSeq(seq)) continue;
      seq.items.forEach((item, i) => {
        const pool = pools[i];
        const name = isObject(pool) ? pool.name : undefined;
        const node = item as any;
        const first = isMap(node) ? (node.items[0]?.key as any) : undefined;
        const offset = first?.range?.[0] ?? node?.range?.[0];
        if (typeof name === 'string' && typeof offset === 'number') {
          poolLines.set(name, counter.linePos(offset).line);
        }
      });
    }
  }
  return { file: doc.file, line: doc.line, value: doc.value, poolLines };
}
