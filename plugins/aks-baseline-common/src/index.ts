/**
 * Isomorphic part of the AKS Baseline plugins: the baseline's items, rule
 * metadata, findings, severities and the score formula.
 *
 * @packageDocumentation
 */
export * from './api';
export * from './baseline';
export * from './category';
export * from './counts';
export * from './finding';
export * from './fix';
export * from './frameworks';
export * from './manualConfirmations';
export * from './permissions';
export * from './policyReports';
export * from './rule';
export * from './ruleEntities';
export * from './passedChecks';
export * from './score';
export * from './severity';
export * from './signals';
