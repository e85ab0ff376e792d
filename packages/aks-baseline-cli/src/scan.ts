/*
 * A scan: inputs → documents with lines → the engine's snapshot →
 * evaluate() → findings located at the file and line of their object.
 * No rule logic here: everything about the baseline is the engine's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import {
  Finding,
  Profile,
  ResourceRef,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  apiVersionServedInTarget,
  AnyRuleDefinition,
  BaselineConfig,
  BaselineConfigError,
  ClusterSnapshot,
  evaluate,
  KindTable,
  KubeObject,
  mergeConfigs,
  NamedDocument,
  parseSourceDocuments,
  readSnapshot,
  RULE_CATALOG,
  SnapshotReadError,
  validateConfig,
} from '@aks-baseline/plugin-aks-baseline-node';
import packageJson from '../package.json';
import { InputError } from './errors';
import { parseSource, SourceDocument, toInputError } from './load/documents';
import {
  InputText,
  readInputs,
  readNamedFile,
  STDIN_NAME,
} from './load/inputs';
import { BUILT_IN_RULE_SET, loadRuleSet, ScanRuleSet } from './load/rules';
import { UnrenderedTemplateError } from './load/templates';
import {
  aksDocument,
  AksDocument,
  LocationIndex,
  ReadInputs,
} from './locations';
import {
  forEachObject,
  isKubernetesDocument,
  looksLikeManagedCluster,
  Fates,
  sortedCounts,
} from './objects';
import { isSnapshotFolder, readSnapshotFolder } from './snapshot-folder';
import { forecastAdmission, readAdmissionTarget } from './admission';
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
  /**
   * Modules exporting custom rules (`--rules`): paths, or package names
   * resolved from `cwd`. Their rules run after the built-in catalog's.
   */
  rules?: string[];
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
  /** `--target-version`: the minor to upgrade to (parameters.targetKubernetesVersion). */
  targetVersion?: string;
  /** `--cluster`: a snapshot folder whose admission (Safeguards, Pod Security) the manifests meet. */
  cluster?: string;
  now?: Date;
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

/**
 * Reads and validates a configuration file; errors name the path and line.
 * Values are read as kubectl reads YAML (`enabled: no` is false), by the
 * engine's parser; the `yaml` package's tree only places errors at lines.
 */
export async function loadConfig(
  file: string,
  cwd: string,
  rules: readonly AnyRuleDefinition[] = RULE_CATALOG,
): Promise<BaselineConfig> {
  const input = await readNamedFile(file, cwd);
  let docs: SourceDocument[];
  try {
    // An app-config's ${VAR} are its own substitutions, not a template.
    docs = parseSourceDocuments(input.text, input.file, { templates: 'keep' });
  } catch (error) {
    throw toInputError(error);
  }
  if (docs.length > 1) {
    throw new InputError(
      `expected one document, found ${docs.length}`,
      input.file,
      docs[1].line,
    );
  }
  let value = docs[0]?.value ?? null;
  // An app-config file works too: its `aksBaseline.baseline` section.
  let prefix: Array<string | number> = [];
  if (isObject(value) && isObject(value.aksBaseline)) {
    prefix = ['aksBaseline', 'baseline'];
    value = value.aksBaseline.baseline ?? {};
  }
  try {
    return validateConfig(value, rules);
  } catch (error) {
    if (!(error instanceof BaselineConfigError)) throw error;
    // The line of the deepest node of the path that exists.
    const counter = new LineCounter();
    const doc = parseDocument(input.text, { lineCounter: counter });
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
  ruleSet: readonly AnyRuleDefinition[],
): BaselineConfig | undefined {
  if (!only && !skip) return undefined;
  const rules: NonNullable<BaselineConfig['rules']> = {};
  for (const rule of ruleSet) {
    if (skip?.has(rule.id) || (only && !only.has(rule.id))) {
      rules[rule.id] = { enabled: false };
    } else if (only) {
      rules[rule.id] = { enabled: true };
    }
  }
  return { rules };
}

// ------------------------------------------------------------ documents

/** Sets the namespace of namespaced objects that name none (`-n`). */
function applyDefaultNamespace(
  object: unknown,
  namespace: string,
  kinds: KindTable,
): void {
  if (!isObject(object)) return;
  const kind = object.kind;
  if (typeof kind !== 'string' || !kinds.isNamespaced(kind)) return;
  if (!isObject(object.metadata)) return;
  if (
    typeof object.metadata.namespace !== 'string' ||
    object.metadata.namespace === ''
  ) {
    object.metadata.namespace = namespace;
  }
}

function parseInput(
  input: InputText,
  skipped: SkippedDocument[],
): SourceDocument[] {
  try {
    return parseSource(input.text, input.file);
  } catch (error) {
    // Templates are not manifests until rendered: skip them when walking.
    if (error instanceof UnrenderedTemplateError && input.walked) {
      skipped.push({
        file: input.file,
        line: error.line,
        reason: error.reason,
      });
      return [];
    }
    throw error;
  }
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
  const mark = options.mark ?? (() => {});
  const cwd = options.cwd;

  // Rules and configuration first: a bad module or file fails before any
  // input is read.
  const ruleSet = options.rules?.length
    ? await loadRuleSet(options.rules, cwd)
    : BUILT_IN_RULE_SET;
  // --target-version adds the rule judging manifests against that minor.
  const rules = options.targetVersion
    ? [...ruleSet.rules, apiVersionServedInTarget]
    : ruleSet.rules;
  const fileConfig = options.config
    ? await loadConfig(options.config, cwd, rules)
    : undefined;
  const only = options.only?.length
    ? resolveRuleSelection(options.only, '--only', rules)
    : undefined;
  const skip = options.skip?.length
    ? resolveRuleSelection(options.skip, '--skip', rules)
    : undefined;
  const config = mergeConfigs(
    fileConfig,
    selectionConfig(only, skip, rules),
    options.profile ? { profile: options.profile } : undefined,
    options.targetVersion
      ? { parameters: { targetKubernetesVersion: options.targetVersion } }
      : undefined,
  );

  const folder = await snapshotFolderInput(options);
  if (folder && options.cluster) {
    throw new InputError(
      '--cluster says what that cluster would do with manifests at admission: give manifests, not a cluster snapshot folder',
      folder,
    );
  }
  const admissionTarget = options.cluster
    ? await readAdmissionTarget(options.cluster, cwd)
    : undefined;
  const read = folder
    ? await readSnapshotFolder(folder, cwd, ruleSet)
    : await readManifests(options, ruleSet, mark);
  mark('snapshot');
  const report = evaluateAndLocate(read, config, rules, options, mark);
  if (admissionTarget) {
    report.admission = forecastAdmission(
      report,
      admissionTarget,
      read.snapshot.objects,
    );
  }
  return report;
}

/**
 * The snapshot folder among the inputs, if any: it is read alone, as the
 * portal reads it, so nothing may be added to it.
 */
async function snapshotFolderInput(
  options: ScanOptions,
): Promise<string | undefined> {
  const folders: string[] = [];
  for (const input of options.inputs) {
    if (
      input !== '-' &&
      (await isSnapshotFolder(path.resolve(options.cwd, input)))
    )
      folders.push(input);
  }
  if (folders.length === 0) return undefined;
  const added = [
    ...options.inputs.filter(i => i !== folders[0]),
    ...(options.kubectl?.length ? ['--kubectl'] : []),
    ...(options.aks ? ['--aks'] : []),
    ...(options.namespace ? ['--namespace'] : []),
    ...(options.namespaceLabels ? ['--namespace-labels'] : []),
    ...(options.namespaceContext ? ['--namespace-context'] : []),
  ];
  if (added.length > 0) {
    throw new InputError(
      `a cluster snapshot folder is read alone, as the portal reads it: scan it without ${added.join(
        ', ',
      )}`,
      folders[0],
    );
  }
  return folders[0];
}

/** Manifests, dumps and `az aks show` output → the snapshot, and where everything is. */
async function readManifests(
  options: ScanOptions,
  ruleSet: ScanRuleSet,
  mark: (phase: string) => void,
): Promise<ReadInputs> {
  const cwd = options.cwd;
  const kinds = ruleSet.table;
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
  // Broken links and special files found in the scanned folders.
  const skipped: SkippedDocument[] = [...texts.skipped];
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
    for (const doc of parseInput(input, skipped)) {
      if (looksLikeManagedCluster(doc.value)) {
        setAks(input, doc);
      } else if (isKubernetesDocument(doc.value)) {
        kubeDocs.push(doc);
      } else {
        const reason = 'not a Kubernetes object (no kind)';
        skipped.push({ file: doc.file, line: doc.line, reason });
      }
    }
  }

  mark('parse');
  // Default namespace, where every object is, and what becomes of it.
  const index = new LocationIndex(kinds);
  const fates = new Fates(skipped, kinds);
  for (const doc of kubeDocs) {
    forEachObject(doc, (object, line) => {
      if (options.namespace) {
        applyDefaultNamespace(object, options.namespace, kinds);
      }
      index.add(object, { file: doc.file, line });
      fates.add(object, doc.file, line);
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
      forEachObject(doc, (object, line) => {
        const kind = isObject(object) ? object.kind : undefined;
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

  // Every object, named by its place: the engine's errors point at it.
  const kubernetes: NamedDocument[] = [...fates.documents, ...contextDocs];
  if (aks) fates.place(`${aks.file}:${aks.line}`, aks.file, aks.line);
  for (const [, { location }] of contextObjects) {
    if (location) {
      fates.place(
        `${location.file}:${location.line}`,
        location.file,
        location.line,
      );
    }
  }
  const mode = kubectl.length > 0 ? 'cluster' : 'manifests';
  let snapshot: ClusterSnapshot;
  try {
    snapshot = readSnapshot({
      name: aks ? undefined : 'manifests',
      managedCluster: aks
        ? { file: `${aks.file}:${aks.line}`, value: aks.value }
        : undefined,
      kubernetes,
      mode,
      kinds: ruleSet.kinds,
    });
  } catch (error) {
    if (!(error instanceof SnapshotReadError)) throw error;
    throw fates.inputError(error);
  }
  fates.settle(snapshot, () => undefined, contextDocs.length);

  return {
    snapshot,
    index,
    aks,
    files,
    skipped,
    ignoredKinds: fates.ignoredKinds,
  };
}

/** Evaluates the snapshot and places every finding and subject. */
function evaluateAndLocate(
  read: ReadInputs,
  config: BaselineConfig,
  rules: readonly AnyRuleDefinition[],
  options: ScanOptions,
  mark: (phase: string) => void,
): ScanReport {
  const { snapshot, index, aks, files, skipped } = read;
  const mode = snapshot.coverage.mode;
  let result;
  try {
    result = evaluate(snapshot, {
      rules,
      config,
      now: options.now,
    });
  } catch (error) {
    if (error instanceof BaselineConfigError)
      throw new InputError(error.message);
    throw error;
  }

  mark('evaluate');
  const rulesById = new Map<string, AnyRuleDefinition>(
    rules.map(r => [r.id, r]),
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
      engine: f,
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
  // Skipped inputs in file and line order too.
  const skippedOrder = (d: SkippedDocument) =>
    fileOrder.get(d.file) ?? files.length;
  skipped.sort(
    (a, b) =>
      skippedOrder(a) - skippedOrder(b) || (a.line ?? 0) - (b.line ?? 0),
  );
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
    rules: rules.filter(evaluable).map(r => toReportRule(r, config)),
    inputs: {
      files: [...new Set(files)],
      ...(read.snapshotFolder ? { snapshot: read.snapshotFolder } : {}),
      objects: result.stats.objects,
      ignoredKinds: sortedCounts(read.ignoredKinds),
      skipped,
      unreadable: { ...snapshot.coverage.unreadable },
    },
    stats: { rules: result.stats.rules, checks: result.stats.checks },
    subjects,
  };
  if (hasCluster) report.cluster = result.cluster;
  report.readSource = file => {
    if (file === STDIN_NAME) return undefined;
    try {
      return fs.readFileSync(path.resolve(options.cwd, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  mark('locate');
  return report;
}
