/*
 * `--rules <module>`: a platform team's own rules, loaded from a file or a
 * package and checked as the backend checks them (checkRuleSet), so that
 * the CLI, the portal and the scaffolder's gate judge with the same rules.
 * A module that cannot be found, loaded or read as rules stops the scan
 * naming the module: a rule that was asked for and not run would pass
 * whatever it was meant to catch.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import {
  aksBaselineRulesServiceRef,
  checkRuleSet,
  KindInfo,
  kindsToRead,
  KindTable,
  RULE_CATALOG,
  RuleDefinition,
  RuleDefinitionError,
} from '@aks-baseline/plugin-aks-baseline-node';
import { InputError } from '../errors';

/** The rules a scan runs and the kinds they read. */
export interface ScanRuleSet {
  /** The built-in catalog, then the custom rules in the order given. */
  readonly rules: readonly RuleDefinition[];
  /** How many of them are custom. */
  readonly custom: number;
  /** The kinds the rules read: what the readers keep (`kindsToRead`). */
  readonly kinds: readonly KindInfo[];
  /** Lookups over those kinds, custom resources included. */
  readonly table: KindTable;
}

function ruleSetOf(rules: RuleDefinition[], custom: number): ScanRuleSet {
  const kinds = kindsToRead(rules);
  return { rules, custom, kinds, table: new KindTable(kinds) };
}

/** The built-in catalog alone (no `--rules`). */
export const BUILT_IN_RULE_SET: ScanRuleSet = ruleSetOf([...RULE_CATALOG], 0);

/**
 * A path (`./rules.js`, `/abs/rules.cjs`, or a file or folder that exists
 * under the working directory) or else a package name, resolved from the
 * working directory as Node resolves it.
 */
function resolveModule(spec: string, cwd: string): string {
  const local = path.resolve(cwd, spec);
  const isPath =
    spec.startsWith('.') || path.isAbsolute(spec) || existsSync(local);
  try {
    return isPath
      ? require.resolve(local)
      : require.resolve(spec, { paths: [cwd] });
  } catch (error) {
    throw new InputError(
      `--rules ${spec}: cannot find ${
        isPath ? `the module ${local}` : `the package "${spec}" from ${cwd}`
      } (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null;
}

/** A service factory made by createAksBaselineRulesFactory (a Backstage backend feature). */
function isRulesFactory(value: unknown): value is {
  factory(deps: object): Promise<{ rules?: unknown }> | { rules?: unknown };
} {
  return (
    isObject(value) &&
    value.$$type === '@backstage/BackendFeature' &&
    value.featureType === 'service' &&
    value.service?.id === aksBaselineRulesServiceRef.id &&
    typeof value.factory === 'function'
  );
}

const SHAPES =
  'export `rules` (an array of rule definitions), or a default export that is such an array or the factory createAksBaselineRulesFactory made';

/** The rules a module exports, in the shapes the documentation lists. */
async function rulesExported(
  exported: unknown,
  spec: string,
): Promise<unknown[]> {
  if (Array.isArray(exported)) return exported; // module.exports = [...]
  const fail = (detail: string): never => {
    throw new InputError(`--rules ${spec}: ${detail}`);
  };
  if (!isObject(exported)) return fail(`exports no rules: ${SHAPES}`);
  if ('rules' in exported) {
    if (Array.isArray(exported.rules)) return exported.rules;
    return fail('its `rules` export is not an array of rule definitions');
  }
  const fallback = exported.default;
  if (Array.isArray(fallback)) return fallback;
  if (isRulesFactory(fallback)) {
    // A root service without dependencies: its factory only hands back the
    // rules it was made with.
    const service = await fallback.factory({});
    if (Array.isArray(service?.rules)) return service.rules;
    return fail('its rules service factory gave no rules');
  }
  if (isObject(fallback) && Array.isArray(fallback.rules)) {
    return fallback.rules;
  }
  if (isObject(fallback) && fallback.$$type === '@backstage/BackendFeature') {
    return fail(
      `its default export is a Backstage backend feature, not rules: ${SHAPES}`,
    );
  }
  return fail(`exports no rules: ${SHAPES}`);
}

async function loadModuleRules(spec: string, cwd: string): Promise<unknown[]> {
  const file = resolveModule(spec, cwd);
  let exported: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(file);
  } catch (error) {
    throw new InputError(
      `--rules ${spec}: loading ${file} failed: ${
        (error as Error)?.message ?? String(error)
      }`,
    );
  }
  const rules = await rulesExported(exported, spec);
  if (rules.length === 0) {
    throw new InputError(`--rules ${spec}: exports an empty list of rules`);
  }
  return rules;
}

/**
 * The built-in catalog and the rules of each module, checked as every
 * evaluator checks its rule set: a rule the engine cannot run, incomplete
 * metadata or an id used twice is an input error naming the module and rule.
 */
export async function loadRuleSet(
  modules: readonly string[],
  cwd: string,
): Promise<ScanRuleSet> {
  if (modules.length === 0) return BUILT_IN_RULE_SET;
  let rules: RuleDefinition[] = [...RULE_CATALOG];
  for (const spec of modules) {
    const added = await loadModuleRules(spec, cwd);
    try {
      // The module's own first, so that a rule without an id is numbered
      // within it; then the ids across everything loaded.
      checkRuleSet(added);
      rules = checkRuleSet([...rules, ...added]);
    } catch (error) {
      if (!(error instanceof RuleDefinitionError)) throw error;
      throw new InputError(`--rules ${spec}: ${error.message}`);
    }
  }
  return ruleSetOf(rules, rules.length - RULE_CATALOG.length);
}
