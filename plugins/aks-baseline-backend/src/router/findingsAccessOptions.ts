/*
 * What the routes that serve findings-derived data (export, passed checks,
 * Policy Reports) are given: the store and the findings' access checks, so
 * that each answers exactly what the findings routes would let the caller see.
 */
import type { Request } from 'express';
import type { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';

export interface FindingsAccessOptions {
  store: AksBaselineStore;
  rulesById: ReadonlyMap<string, RuleInfo>;
  /** Per request: whether the caller may see a cluster's findings. */
  mayShowCluster: (req: Request) => (cluster: string) => Promise<boolean>;
  /** Whether the caller may see an entity (and so its findings). */
  mayShowEntity: (req: Request, entityRef: string) => Promise<boolean>;
}
