/*
 * A rule as the engine uses it: its declarations resolved once (kind names,
 * reads that gate and reads that do not, applicability) and its check as
 * two functions, one that decides and one that explains. They differ for
 * container rules only: deciding stops at the first offending container.
 * A definition the engine cannot run is refused here, naming the rule.
 */
import { Profile } from '@aks-baseline/plugin-aks-baseline-common';
import { decideContainers, explainContainers } from './containers';
import { EngineContext } from './context';
import {
  customKindInfo,
  FORBIDDEN_KINDS,
  KindInfo,
  kindInfo,
  KNOWN_KINDS,
  WORKLOAD_KINDS,
} from './kinds';
import {
  CheckOutcome,
  ContainerCheck,
  KindRead,
  KindRef,
  RuleContext,
  RuleDefinition,
} from './rule';
import { KindCoverage, WorkloadView } from './types';

export type SubjectPredicate = (subject: never, ctx: RuleContext) => boolean;
export type SubjectCheck = (subject: never, ctx: RuleContext) => CheckOutcome;

export interface RuleParts {
  readonly rule: RuleDefinition;
  /**
   * The kinds whose objects are its subjects: the declared ones, every
   * workload kind for a workload rule that declares none, `Namespace` for
   * namespace rules, none for cluster and node-pool rules.
   */
  readonly subjectKinds: readonly string[];
  /** Workload and object rules: the declared kinds (undefined: every workload kind). */
  readonly narrowKinds: readonly string[] | undefined;
  /** Kinds the engine gates on (see KindRead). */
  readonly gateReads: readonly string[];
  /** Every kind the rule reads, gated or not. */
  readonly reads: readonly string[];
  /** Custom resources the rule declares (kinds the engine does not know). */
  readonly customKinds: readonly KindInfo[];
  readonly profiles: readonly Profile[] | undefined;
  readonly modes: readonly KindCoverage['mode'][] | undefined;
  readonly when: SubjectPredicate | undefined;
  /** Undefined for manual rules. */
  readonly decide: SubjectCheck | undefined;
  readonly explain: SubjectCheck | undefined;
}

/**
 * A rule definition the engine cannot run, with what is wrong.
 *
 * @public
 */
export class RuleDefinitionError extends Error {
  constructor(readonly ruleId: string, detail: string) {
    super(`Rule ${ruleId}: ${detail}`);
    this.name = 'RuleDefinitionError';
  }
}

const NAMESPACE_KINDS: readonly string[] = Object.freeze(['Namespace']);
const NONE: readonly string[] = Object.freeze([]);
const PARTS = new WeakMap<RuleDefinition, RuleParts>();

/** The rule's parts, resolved on first use and kept with the rule. */
export function partsOf(rule: RuleDefinition): RuleParts {
  let parts = PARTS.get(rule);
  if (!parts) {
    parts = resolveParts(rule);
    PARTS.set(rule, parts);
  }
  return parts;
}

function kindOfRead(read: KindRead): { ref: KindRef; optional: boolean } {
  if (typeof read === 'object' && read !== null && 'optional' in read) {
    return { ref: read.kind, optional: read.optional === true };
  }
  return { ref: read as KindRef, optional: false };
}

function resolveParts(rule: RuleDefinition): RuleParts {
  const id = typeof rule?.id === 'string' ? rule.id : '(no id)';
  const fail = (detail: string): never => {
    throw new RuleDefinitionError(id, detail);
  };
  if (!rule || typeof rule !== 'object') fail('not an object');
  const custom = new Map<string, KindInfo>();
  const nameOf = (ref: KindRef, where: string): string => {
    if (typeof ref === 'string') {
      if (!kindInfo(ref) && !custom.has(ref)) {
        fail(
          `${where} names kind ${ref}, which the engine does not know: declare it as { kind, group, version, plural }`,
        );
      }
      return ref;
    }
    if (!ref || typeof ref !== 'object' || typeof ref.kind !== 'string') {
      return fail(`${where} holds ${JSON.stringify(ref)}, not a kind`);
    }
    const known = kindInfo(ref.kind);
    if (known) {
      if (ref.group !== undefined && ref.group !== known.group) {
        fail(
          `${where} declares ${ref.kind} in group ${
            ref.group
          }; the engine reads ${ref.kind} of ${
            known.group || 'the core group'
          }: give the custom resource another kind name`,
        );
      }
      return ref.kind;
    }
    const info = customKindInfo(ref);
    if (!info) {
      fail(
        `${where} declares kind ${ref.kind} without its group, version and plural`,
      );
    }
    custom.set(ref.kind, info!);
    return ref.kind;
  };

  const anyRule = rule as RuleDefinition & {
    appliesTo?: {
      kinds?: readonly KindRef[];
      profiles?: readonly Profile[];
      modes?: readonly KindCoverage['mode'][];
      when?: SubjectPredicate;
    };
  };
  const appliesTo = anyRule.appliesTo;
  const reads = (anyRule.reads ?? []).map(kindOfRead);
  // Declarations first: a custom kind declared once is named by its kind elsewhere.
  for (const ref of [...(appliesTo?.kinds ?? []), ...reads.map(r => r.ref)]) {
    if (typeof ref !== 'string') nameOf(ref, 'a kind declaration');
  }
  const declared = appliesTo?.kinds?.map(k => nameOf(k, 'appliesTo.kinds'));
  const readNames = reads.map(r => nameOf(r.ref, 'reads'));
  const gateReads = readNames.filter((_, i) => !reads[i].optional);

  if (anyRule.manual) {
    if (anyRule.check || anyRule.container) {
      fail('a manual rule has no check');
    }
    return freeze({
      rule,
      subjectKinds: NONE,
      narrowKinds: undefined,
      gateReads: NONE,
      reads: NONE,
      customKinds: [],
      profiles: undefined,
      modes: undefined,
      when: undefined,
      decide: undefined,
      explain: undefined,
    });
  }

  let decide: SubjectCheck;
  let explain: SubjectCheck;
  const container =
    anyRule.scope === 'workload' ? anyRule.container : undefined;
  if (container) {
    if (anyRule.check) fail('a container rule has no check of its own');
    if (
      typeof container.check !== 'function' ||
      typeof container.message !== 'function'
    ) {
      fail('container needs a check and a message function');
    }
    const check: ContainerCheck = container;
    // The engine calls it with its own context only.
    decide = ((w: WorkloadView, ctx: RuleContext) =>
      decideContainers(w, check, ctx as EngineContext)) as SubjectCheck;
    explain = ((w: WorkloadView, ctx: RuleContext) =>
      explainContainers(w, check, ctx)) as SubjectCheck;
  } else if (typeof anyRule.check === 'function') {
    decide = anyRule.check as SubjectCheck;
    explain = decide;
  } else {
    return fail('no check (and not a manual rule)');
  }

  let subjectKinds: readonly string[];
  let narrowKinds: readonly string[] | undefined;
  switch (anyRule.scope) {
    case 'workload':
      for (const kind of declared ?? []) {
        if (!(WORKLOAD_KINDS as readonly string[]).includes(kind)) {
          fail(`appliesTo.kinds: ${kind} is not a workload kind`);
        }
      }
      narrowKinds = declared && declared.length > 0 ? declared : undefined;
      subjectKinds = narrowKinds ?? WORKLOAD_KINDS;
      break;
    case 'object':
      if (!declared || declared.length === 0) {
        fail('an object rule names its kinds in appliesTo.kinds');
      }
      narrowKinds = declared;
      subjectKinds = declared!;
      break;
    case 'namespace':
    case 'cluster':
    case 'nodePool':
      if (declared) {
        fail(`a ${anyRule.scope} rule has no appliesTo.kinds`);
      }
      subjectKinds = anyRule.scope === 'namespace' ? NAMESPACE_KINDS : NONE;
      break;
    default:
      return fail(`unknown scope ${String((anyRule as any).scope)}`);
  }
  const source: string = anyRule.source;
  const scope: string = anyRule.scope;
  if (source !== 'arm' && source !== 'kubernetes') {
    fail(`source is arm or kubernetes, not ${source}`);
  }
  if (source === 'arm' && scope !== 'cluster' && scope !== 'nodePool') {
    fail('an ARM rule is a cluster or node-pool rule');
  }
  if (appliesTo?.when !== undefined && typeof appliesTo.when !== 'function') {
    fail('appliesTo.when is a function');
  }

  return freeze({
    rule,
    subjectKinds,
    narrowKinds,
    gateReads,
    reads: readNames,
    customKinds: [...custom.values()],
    profiles: appliesTo?.profiles,
    modes: appliesTo?.modes,
    when: appliesTo?.when,
    decide,
    explain,
  });
}

function freeze(parts: RuleParts): RuleParts {
  return Object.freeze(parts);
}

/** Kinds every evaluation reads: profiles come from Namespaces, absent CRDs from CRDs. */
const ENGINE_KINDS: readonly string[] = Object.freeze([
  'Namespace',
  'CustomResourceDefinition',
]);

/**
 * The kinds to list for a rule set (what a live reader lists and snapshot
 * readers keep): the engine's own, then every kind the rules' subjects come
 * from or they read, gated or not; built-in kinds in `KNOWN_KINDS` order,
 * then the custom resources the rules declare. Never Secrets.
 *
 * @public
 */
export function kindsToRead(rules: readonly RuleDefinition[]): KindInfo[] {
  const names = new Set<string>(ENGINE_KINDS);
  const custom: KindInfo[] = [];
  for (const rule of rules) {
    const parts = partsOf(rule);
    for (const kind of parts.subjectKinds) names.add(kind);
    for (const kind of parts.reads) names.add(kind);
    for (const info of parts.customKinds) {
      if (!custom.some(c => c.kind === info.kind)) custom.push(info);
    }
  }
  const out = KNOWN_KINDS.filter(info => names.has(info.kind));
  for (const info of custom) out.push(info);
  return out.filter(info => !FORBIDDEN_KINDS.includes(info.kind));
}

/**
 * Kinds a check reads but judges the absence of itself (`KindRead` with
 * `optional`): `reads: ['IngressClass', ...optionalReads('GatewayClass')]`.
 *
 * @public
 */
export function optionalReads(...kinds: KindRef[]): KindRead[] {
  return kinds.map(kind => ({ kind, optional: true as const }));
}
