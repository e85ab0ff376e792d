/*
 * What a scan produces, independent of the output format: the engine's
 * findings with the file and line of the object each one concerns, the rule
 * metadata the formats need, and the score.
 */
import { fixOf } from '@aks-baseline/plugin-aks-baseline-node';
import type { AdmissionForecast } from './admission';
import {
  Category,
  Evidence,
  Finding,
  FindingAdmission,
  FindingStatus,
  FixSuggestion,
  Profile,
  Remediation,
  ResourceRef,
  RuleScope,
  ScoreSummary,
  Severity,
  Waiver,
} from '@aks-baseline/plugin-aks-baseline-common';

export interface Location {
  /** Relative to the working directory, forward slashes; `<stdin>` for standard input. */
  file: string;
  /** 1-based line of the object's first key. */
  line: number;
}

/** The metadata of a rule that the formats show. */
export interface ReportRule {
  id: string;
  baselineRef: string;
  category: Category;
  /** After configuration overrides. */
  severity: Severity;
  title: string;
  rationale: string;
  remediation: Remediation;
  scope: RuleScope;
}

export interface ReportFinding {
  ruleId: string;
  baselineRef: string;
  category: Category;
  severity: Severity;
  status: FindingStatus;
  title: string;
  message: string;
  resource: ResourceRef;
  location?: Location;
  evidence?: Evidence[];
  waiver?: Waiver;
  /** With --cluster: what that cluster does with the object at admission. */
  admission?: FindingAdmission;
  remediation: Remediation;
  /**
   * The engine's finding, whose fix is worked out when read
   * ({@link findingFix}); not part of any output by itself.
   */
  engine?: Finding;
}

/** One evaluated subject (object, namespace, cluster, pool) and its counts. */
export interface ReportSubject {
  resource: ResourceRef;
  location?: Location;
  passed: number;
  failed: number;
  waived: number;
  unknown: number;
}

/**
 * An input read but not judged: a document that is not a Kubernetes object,
 * an unrendered template, an object of a kind the rules read in an API
 * version the engine does not evaluate. The gate fails on any of them
 * unless --allow-skipped.
 */
export interface SkippedDocument {
  file: string;
  /** Where the document or object starts; absent for a whole file. */
  line?: number;
  /** Why it was not judged, a sentence naming the object when there is one. */
  reason: string;
  /** The object, when the document was one. */
  object?: {
    kind: string;
    apiVersion?: string;
    namespace?: string;
    name?: string;
  };
}

export interface ScanReport {
  tool: { name: string; version: string };
  /** `manifests`: the objects given; `cluster`: a full `kubectl get -A` dump. */
  mode: 'manifests' | 'cluster';
  /** The managed cluster's name when `az aks show` output was given. */
  cluster?: string;
  profile: Profile;
  evaluatedAt: string;
  summary: ScoreSummary;
  /** Every outcome that is not a pass, sorted by file, line, severity and rule. */
  findings: ReportFinding[];
  /** Rules that took part (enabled, evaluable in this mode), in catalog order. */
  rules: ReportRule[];
  inputs: {
    files: string[];
    /** A cluster snapshot folder read as the portal reads it, when one was given. */
    snapshot?: string;
    /** Kubernetes objects evaluated (after dropping kinds no rule reads). */
    objects: number;
    /** Objects of kinds no rule reads, by kind (Secrets are never kept): nothing to judge. */
    ignoredKinds: Record<string, number>;
    /** Inputs read but not judged, each with its place and reason. */
    skipped: SkippedDocument[];
    /** Kinds a snapshot says could not be read (its coverage.json), with the reason. */
    unreadable: Record<string, string>;
  };
  stats: { rules: number; checks: number };
  /** With --cluster: what that cluster would deny, mutate or warn about. */
  admission?: AdmissionForecast;
  /** Every subject with its counts (for JUnit); not part of the JSON output. */
  subjects: ReportSubject[];
  /**
   * The text of an input file as read (for the SARIF fixes' changes);
   * undefined for standard input or a file no longer readable.
   */
  readSource?: (file: string) => string | undefined;
}

/** Findings that the human-facing formats list (not-applicable and manual are counted only). */
export function listedFindings(report: ScanReport): ReportFinding[] {
  return report.findings.filter(
    f => f.status === 'fail' || f.status === 'waived' || f.status === 'unknown',
  );
}

/** `Deployment shop/storefront`, `Namespace shop`, `ManagedCluster aks-prod`. */
export function describeResource(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** The one-line fix (the remediation's summary, flattened to one line). */
export function oneLineFix(remediation: Remediation): string {
  return remediation.summary.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * How to fix a failing finding, worked out by its rule when asked (never
 * during the scan); undefined for other statuses or without a fix.
 */
export function findingFix(f: ReportFinding): FixSuggestion | undefined {
  return f.status === 'fail' && f.engine ? fixOf(f.engine) : undefined;
}
