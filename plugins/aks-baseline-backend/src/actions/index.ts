/*
 * The plugin's actions in the actions registry (served to AI assistants by
 * Backstage's MCP actions backend): read-only, each answering with what the
 * caller may see through the REST API.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { RuleInfo } from '@aks-baseline/plugin-aks-baseline-common';
import type { AksBaselineStore } from '../service/AksBaselineStore';
import { FindingsAccess } from '../router/access/FindingsAccess';
import { callerAccess } from './access';
import { registerEntityScoreAction } from './entityScoreAction';
import { registerFindingsAction } from './findingsAction';
import { registerRuleAction } from './ruleAction';

export function registerAksBaselineActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  access: FindingsAccess;
  store: AksBaselineStore;
  rules: readonly RuleInfo[];
}): void {
  const { actionsRegistry, store, rules } = options;
  const accessOf = (credentials: Parameters<typeof callerAccess>[2]) =>
    callerAccess(options.access, options.auth, credentials);
  const rulesById = new Map(rules.map(r => [r.id, r]));
  registerEntityScoreAction({ actionsRegistry, store, rulesById, accessOf });
  registerFindingsAction({ actionsRegistry, store, rulesById, accessOf });
  registerRuleAction({ actionsRegistry, rules, accessOf });
}
