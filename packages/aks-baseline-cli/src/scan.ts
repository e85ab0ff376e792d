/*
 * A scan: inputs → documents with lines → the engine's snapshot →
 * evaluate() → findings located at the file and line of their object.
 * No rule logic here: everything about the baseline is the engine's.
 */
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import {
  Finding,
  Profile,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  AnyRuleDefinition,
  BaselineConfig,
  BaselineConfigError,
  evaluate,
  isNamespacedKind,
  KubeObject,
  mergeConfigs,
  NamedDocument,
  readSnapshot,
  RULE_CATALOG,
  SnapshotReadError,
  validateConfig,
} from '@aks-baseline/plugin-aks-baseline-node';
import packageJson from '../package.json';
import { InputError } from './errors';
import { parseSource, SourceDocument } from './load/documents';
import { InputText, readInputs, readNamedFile } from './load/inputs';
import {
  Location,
  ReportFinding,
  ReportRule,
  ReportSubject,
  ScanReport,
  SkippedDocument,
} from './report';

export interface ScanOptions {
  /** Files, folders, or `-` for standard input. */
  inputs: string[];
  cwd: string;
  readStdin: () => Promise<string>;
  /** `az aks show -o json` output (also detected among the inputs). */
  aks?: string;
  /** `kubectl get -A -o json` dumps: the Kubernetes side is then complete (cluster mode). */
  kubectl?: string[];
  /** Baseline configuration file (YAML or JSON), the backend's shape. */
  config?: string;
  profile?: Profile;
  /** Rule ids or baseline keys to evaluate alone / to leave out. */
  only?: string[];
  skip?: string[];
  /** Namespace for objects that name none (as `kubectl apply -n`). */
  namespace?: string;
  /** Labels of the namespaces the manifests are for, when they lack their Namespace. */
  namespaceLabels?: Record<string, string>;
  /** Namespace objects (`kubectl get ns -o yaml`) the manifests are for. */
  namespaceContext?: string;
  now?: Date;
  /** Warnings (skipped templates, non-Kubernetes documents) go here. */
  warn?: (message: string) => void;
  /** Called at the end of each phase with its name (timings for --timings). */
  mark?: (phase: string) => void;
}

export const TOOL_NAME = 'aks-baseline';
export const TOOL_VERSION: string = packageJson.version;

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ------------------------------------------------------------------ config

/** `waivers[2].expires` → ['waivers', 2, 'expires']. */
function splitPath(p: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (const m of p.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3]);
  }
  return out;
}

/** Reads and validates a configuration file; errors name the path and line. */
export async function loadConfig(
  file: string,
  cwd: string,
): Promise<BaselineConfig> {
  const input = await readNamedFile(file, cwd);
  const counter = new LineCounter();
  const doc = parseDocument(input.text, {
    lineCounter: counter,
    prettyErrors: true,
  });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new InputError(
      `not valid YAML or JSON (${first.message.split('\n')[0]})`,
      input.file,
      first.linePos?.[0]?.line,
    );
  }
  let value = doc.toJS({ maxAliasCount: 100 });
  // An app-config file works too: its `aksBaseline.baseline` section.
  let prefix: Array<string | number> = [];
  if (isObject(value) && isObject(value.aksBaseline)) {
    prefix = ['aksBaseline', 'baseline'];
    value = value.aksBaseline.baseline ?? {};
  }
  try {
    return validateConfig(value, RULE_CATALOG);
  } catch (error) {
    if (!(error instanceof BaselineConfigError)) throw error;
    // The line of the deepest node of the path that exists.
    const parts = [...prefix, ...splitPath(error.path)];
    let line: number | undefined;
    for (let n = parts.length; n > 0 && line === undefined; n--) {
      // The key's line where the last part is a key (an unknown setting).
      const parent =
        n > 1 ? doc.getIn(parts.slice(0, n - 1), true) : doc.contents;
      let node: any;
      if (isMap(parent)) {
        node = parent.items.find(
          p => (p.key as any)?.value === parts[n - 1],
        )?.key;
      }
      node ??= doc.getIn(parts.slice(0, n), true);
      const offset = node?.range?.[0];
      if (typeof offset === 'number') line = counter.linePos(offset).line;
    }
    const where = prefix.length ? `${prefix.join('.')}.` : '';
    throw new InputError(`${where}${error.message}`, input.file, line);
  }
}

// ------------------------------------------------------------ rule choice

/** Rule ids (and baseline keys, which select all their rules) → rule ids. */
export function resolveRuleSelection(
  values: readonly string[],
  option: string,
  rules: readonly AnyRuleDefinition[] = RULE_CATALOG,
): Set<string> {
  const ids = new Set(rules.map(r => r.id));
  const out = new Set<string>();
  const unknown: string[] = [];
  for (const raw of values) {
    for (const part of raw.split(',')) {
      const v = part.trim();
      if (!v) continue;
      if (ids.has(v)) {
        out.add(v);
        continue;
      }
      const byKey = rules.filter(
        r => r.baselineRef.toUpperCase() === v.toUpperCase(),
      );
      if (byKey.length > 0) {
        for (const r of byKey) out.add(r.id);
        continue;
      }
      unknown.push(v);
    }
  }
  if (unknown.length > 0) {
    const valid = [...ids].sort();
    throw new InputError(
      `${option}: unknown rule id${unknown.length > 1 ? 's' : ''} ${unknown
        .map(u => `"${u}"`)
        .join(
          ', ',
        )}. Valid rule ids (or baseline keys such as PS-01): ${valid.join(
        ', ',
      )}`,
    );
  }
  return out;
}

function selectionConfig(
  only: Set<string> | undefined,
  skip: Set<string> | undefined,
): BaselineConfig | undefined {
  if (!only && !skip) return undefined;
  const rules: NonNullable<BaselineConfig['rules']> = {};
  for (const rule of RULE_CATALOG) {
    if (skip?.has(rule.id) || (only && !only.has(rule.id))) {
      rules[rule.id] = { enabled: false };
    } else if (only) {
      rules[rule.id] = { enabled: true };
    }
  }
  return { rules };
}

// ------------------------------------------------------------ documents

/** `az aks show`, ARM REST or SDK output: a managed cluster, not a Kubernetes object. */
export function looksLikeManagedCluster(value: unknown): boolean {
  // ARM documents have a `kind` too (`Base`), but never Kubernetes metadata.
  if (!isObject(value) || isObject(value.metadata)) return false;
  if (typeof value.type === 'string' && /managedclusters$/i.test(value.type)) {
    return true;
  }
  return (
    Array.isArray(value.agentPoolProfiles) ||
    (isObject(value.properties) &&
      Array.isArray(value.properties.agentPoolProfiles))
  );
}

function isKubernetesDocument(value: unknown): boolean {
  if (Array.isArray(value))
    return value.length === 0 || value.some(isKubernetesDocument);
  return isObject(value) && typeof value.kind === 'string' && value.kind !== '';
}

/** Where each object of the inputs is: by kind, namespace and name. */
class LocationIndex {
  private readonly byKey = new Map<string, Location[]>();
  private readonly firstInNamespace = new Map<string, Location>();
  private readonly used = new Map<string, number>();
  /** Namespaces objects are in (for namespace context). */
  readonly namespaces = new Set<string>();
  /** Namespace objects given in the inputs. */
  readonly declaredNamespaces = new Set<string>();

  add(object: unknown, location: Location, defaultKind?: string): void {
    if (!isObject(object)) return;
    const kind = typeof object.kind === 'string' ? object.kind : defaultKind;
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

function isListDocument(value: Record<string, any>): boolean {
  const kind = value.kind as string;
  return (
    kind === 'List' || (kind.endsWith('List') && value.items !== undefined)
  );
}

/** Sets the namespace of namespaced objects that name none (`-n`). */
function applyDefaultNamespace(
  object: unknown,
  namespace: string,
  defaultKind?: string,
): void {
  if (!isObject(object)) return;
  const kind = typeof object.kind === 'string' ? object.kind : defaultKind;
  if (!kind || !isNamespacedKind(kind) || !isObject(object.metadata)) return;
  if (
    typeof object.metadata.namespace !== 'string' ||
    object.metadata.namespace === ''
  ) {
    object.metadata.namespace = namespace;
  }
}

/** Calls `fn` for every object of a Kubernetes document with its line. */
function forEachObject(
  doc: SourceDocument,
  fn: (object: unknown, line: number, defaultKind?: string) => void,
): void {
  const value = doc.value;
  if (Array.isArray(value)) {
    value.forEach((item, i) => fn(item, doc.itemLines?.[i] ?? doc.line));
    return;
  }
  if (!isObject(value)) return;
  if (isListDocument(value) && Array.isArray(value.items)) {
    const itemKind =
      value.kind === 'List' ? undefined : (value.kind as string).slice(0, -4);
    value.items.forEach((item: unknown, i: number) =>
      fn(item, doc.itemLines?.[i] ?? doc.line, itemKind),
    );
    return;
  }
  fn(value, doc.line);
}

function parseInput(
  input: InputText,
  warn: (message: string) => void,
  skipped: SkippedDocument[],
): SourceDocument[] {
  try {
    return parseSource(input.text, input.file);
  } catch (error) {
    // A chart's templates are not YAML until rendered: skip them when walking.
    if (
      error instanceof InputError &&
      input.walked &&
      input.text.includes('{{')
    ) {
      const reason =
        'a template (contains {{ }}): render it first, e.g. helm template ... | aks-baseline scan -';
      skipped.push({ file: input.file, reason });
      warn(`${input.file}: skipped, ${reason}`);
      return [];
    }
    throw error;
  }
}

// ------------------------------------------------------------ AKS document

interface AksDocument {
  file: string;
  line: number;
  value: unknown;
  /** Agent pool name → line of its entry. */
  poolLines: Map<string, number>;
}

function aksDocument(input: InputText, doc: SourceDocument): AksDocument {
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

// ------------------------------------------------------------ the scan

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function toReportRule(
  rule: AnyRuleDefinition,
  config: BaselineConfig,
): ReportRule {
  return {
    id: rule.id,
    baselineRef: rule.baselineRef,
    category: rule.category,
    severity: config.rules?.[rule.id]?.severity ?? rule.severity,
    title: rule.title,
    rationale: rule.rationale,
    remediation: rule.remediation,
    scope: rule.scope,
  };
}

/** Runs a scan. Throws InputError for usage and input problems. */
export async function scan(options: ScanOptions): Promise<ScanReport> {
  const warn = options.warn ?? (() => {});
  const mark = options.mark ?? (() => {});
  const cwd = options.cwd;

  // Configuration first: a bad file fails before any input is read.
  const fileConfig = options.config
    ? await loadConfig(options.config, cwd)
    : undefined;
  const only = options.only?.length
    ? resolveRuleSelection(options.only, '--only')
    : undefined;
  const skip = options.skip?.length
    ? resolveRuleSelection(options.skip, '--skip')
    : undefined;
  const config = mergeConfigs(
    fileConfig,
    selectionConfig(only, skip),
    options.profile ? { profile: options.profile } : undefined,
  );

  const kubectl = options.kubectl ?? [];
  if (options.inputs.length === 0 && kubectl.length === 0 && !options.aks) {
    throw new InputError(
      'nothing to scan: give files or folders, `-` for standard input, --kubectl or --aks',
    );
  }
  const texts = await readInputs(
    [...options.inputs, ...kubectl],
    cwd,
    options.readStdin,
  );
  mark('read');
  const skipped: SkippedDocument[] = [];
  const files: string[] = [];
  const kubeDocs: SourceDocument[] = [];
  let aks: AksDocument | undefined;
  const setAks = (input: InputText, doc: SourceDocument) => {
    if (aks) {
      throw new InputError(
        `a second managed cluster document (the first is ${aks.file}:${aks.line}); scan one cluster at a time`,
        doc.file,
        doc.line,
      );
    }
    aks = aksDocument(input, doc);
  };

  if (options.aks) {
    const input = await readNamedFile(options.aks, cwd);
    const docs = parseSource(input.text, input.file);
    if (docs.length !== 1) {
      throw new InputError(
        `expected one document (az aks show -o json), found ${docs.length}`,
        input.file,
      );
    }
    setAks(input, docs[0]);
    files.push(input.file);
  }

  for (const input of texts) {
    files.push(input.file);
    for (const doc of parseInput(input, warn, skipped)) {
      if (looksLikeManagedCluster(doc.value)) {
        setAks(input, doc);
      } else if (isKubernetesDocument(doc.value)) {
        kubeDocs.push(doc);
      } else {
        const reason = 'not a Kubernetes object (no kind)';
        skipped.push({ file: doc.file, line: doc.line, reason });
        warn(`${doc.file}:${doc.line}: skipped, ${reason}`);
      }
    }
  }

  mark('parse');
  // Default namespace, then where every object is.
  const index = new LocationIndex();
  for (const doc of kubeDocs) {
    forEachObject(doc, (object, line, defaultKind) => {
      if (options.namespace)
        applyDefaultNamespace(object, options.namespace, defaultKind);
      index.add(object, { file: doc.file, line }, defaultKind);
    });
  }

  // Namespace context: Namespace objects for namespaces the inputs lack.
  const contextDocs: NamedDocument[] = [];
  const contextObjects = new Map<
    string,
    { object: KubeObject; location?: Location }
  >();
  if (options.namespaceContext) {
    const input = await readNamedFile(options.namespaceContext, cwd);
    for (const doc of parseSource(input.text, input.file)) {
      forEachObject(doc, (object, line, defaultKind) => {
        const kind = isObject(object) ? object.kind ?? defaultKind : undefined;
        if (
          kind !== 'Namespace' ||
          !isObject(object) ||
          !isObject(object.metadata) ||
          typeof object.metadata.name !== 'string'
        ) {
          throw new InputError(
            'expected Namespace objects (kubectl get namespace NAME -o yaml)',
            input.file,
            line,
          );
        }
        const ns = {
          ...object,
          kind: 'Namespace',
          apiVersion: object.apiVersion ?? 'v1',
        } as KubeObject;
        contextObjects.set(object.metadata.name, {
          object: ns,
          location: { file: input.file, line },
        });
      });
    }
  }
  if (options.namespaceLabels || contextObjects.size > 0) {
    for (const ns of [...index.namespaces].sort()) {
      if (index.declaredNamespaces.has(ns)) continue;
      const fromFile = contextObjects.get(ns);
      let object: KubeObject | undefined = fromFile?.object;
      const location = fromFile?.location;
      if (!object && options.namespaceLabels) {
        object = {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: ns, labels: { ...options.namespaceLabels } },
        };
      }
      if (!object) continue;
      if (location) index.add(object, location);
      const file = location
        ? `${location.file}:${location.line}`
        : '--namespace-labels';
      contextDocs.push({ file, value: object });
    }
  }

  // The snapshot: engine readers do all validation and normalisation.
  const docByName = new Map<string, SourceDocument>();
  const kubernetes: NamedDocument[] = kubeDocs.map(doc => {
    const name = `${doc.file}:${doc.line}`;
    docByName.set(name, doc);
    return { file: name, value: doc.value };
  });
  for (const d of contextDocs) kubernetes.push(d);
  const mode = kubectl.length > 0 ? 'cluster' : 'manifests';
  let snapshot;
  try {
    snapshot = readSnapshot({
      name: aks ? undefined : 'manifests',
      managedCluster: aks
        ? { file: `${aks.file}:${aks.line}`, value: aks.value }
        : undefined,
      kubernetes,
      mode,
    });
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) throw error;
    // Point at the List item's own line where the path names one.
    const doc = docByName.get(error.file);
    const m = /^(?:items)?\[(\d+)\]/.exec(error.path);
    if (doc && m && doc.itemLines) {
      const line = doc.itemLines[Number(m[1])] ?? doc.line;
      throw new InputError(
        error.message.slice(error.file.length + 2),
        doc.file,
        line,
      );
    }
    throw new InputError(error.message);
  }

  mark('snapshot');
  let result;
  try {
    result = evaluate(snapshot, { config, now: options.now });
  } catch (error) {
    if (error instanceof BaselineConfigError)
      throw new InputError(error.message);
    throw error;
  }

  mark('evaluate');
  const rulesById = new Map<string, AnyRuleDefinition>(
    RULE_CATALOG.map(r => [r.id, r]),
  );
  const hasCluster = Boolean(snapshot.managedCluster);
  const evaluable = (rule: AnyRuleDefinition): boolean => {
    if (config.rules?.[rule.id]?.enabled === false) return false;
    // Manual items are listed (as `manual` findings) only for a cluster.
    if (rule.manual) return hasCluster;
    if (rule.source === 'arm') return hasCluster;
    return !(rule.scope === 'cluster' && mode === 'manifests');
  };

  const aksLocation = (r: ResourceRef): Location | undefined => {
    if (!aks || (r.kind !== 'ManagedCluster' && r.kind !== 'AgentPool'))
      return undefined;
    const line =
      r.kind === 'AgentPool' ? aks.poolLines.get(r.name) ?? aks.line : aks.line;
    return { file: aks.file, line };
  };
  const locate = (f: Finding): Location | undefined =>
    aksLocation(f.resource) ??
    index.locate(
      f.ruleId,
      f.resource.kind,
      f.resource.namespace,
      f.resource.name,
    );

  const subjects: ReportSubject[] = result.subjects.map(s => {
    const counts = { passed: 0, failed: 0, waived: 0, unknown: 0 };
    for (const category of Object.keys(s.tallies)) {
      const t = s.tallies[category as keyof typeof s.tallies];
      if (!t) continue;
      counts.passed += t.passed;
      counts.failed += t.failed;
      counts.waived += t.waived;
      counts.unknown += t.unknown;
    }
    const out: ReportSubject = { resource: s.ref, ...counts };
    const location =
      aksLocation(s.ref) ??
      index.first(s.ref.kind, s.ref.namespace, s.ref.name);
    if (location) out.location = location;
    return out;
  });

  const findings: ReportFinding[] = result.findings.map(f => {
    const rule = rulesById.get(f.ruleId);
    const out: ReportFinding = {
      ruleId: f.ruleId,
      baselineRef: f.baselineRef,
      category: f.category,
      severity: f.severity,
      status: f.status,
      title: rule?.title ?? f.ruleId,
      message: f.message,
      resource: f.resource,
      remediation: rule?.remediation ?? { summary: '' },
    };
    const location = locate(f);
    if (location) out.location = location;
    if (f.evidence) out.evidence = f.evidence;
    if (f.waiver) out.waiver = f.waiver;
    return out;
  });

  // Sort once by precomputed keys: file order, line, object, severity, rule.
  const fileOrder = new Map<string, number>();
  files.forEach((f, i) => {
    if (!fileOrder.has(f)) fileOrder.set(f, i);
  });
  const severityRank = { critical: 0, high: 1, medium: 2, low: 3 } as const;
  const keyed = findings.map(f => ({
    f,
    file: f.location
      ? fileOrder.get(f.location.file) ?? files.length
      : files.length + 1,
    line: f.location?.line ?? 0,
    object: `${f.resource.kind}/${f.resource.namespace ?? ''}/${
      f.resource.name
    }`,
    severity: severityRank[f.severity],
  }));
  keyed.sort(
    (a, b) =>
      a.file - b.file ||
      a.line - b.line ||
      compareText(a.object, b.object) ||
      a.severity - b.severity ||
      compareText(a.f.ruleId, b.f.ruleId),
  );
  for (let i = 0; i < keyed.length; i++) findings[i] = keyed[i].f;

  const report: ScanReport = {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    mode,
    profile: result.profile,
    evaluatedAt: result.evaluatedAt,
    summary: result.summary,
    findings,
    rules: RULE_CATALOG.filter(evaluable).map(r => toReportRule(r, config)),
    inputs: {
      files: [...new Set(files)],
      objects: result.stats.objects,
      ignoredKinds: result.stats.ignoredKinds,
      skipped,
    },
    stats: { rules: result.stats.rules, checks: result.stats.checks },
    subjects,
  };
  if (hasCluster) report.cluster = result.cluster;
  mark('locate');
  return report;
}
