/**
 * Scaffolder actions for baseline-compliant AKS namespaces:
 * `aks-baseline:namespace:create`, `aks-baseline:namespace:render`, the
 * `aks-baseline:evaluate` quality gate and `aks-baseline:fix` (safe fixes); and the catalog's HAS_MEMBER
 * permission rule that policies for `aks-baseline.namespace.create` use.
 *
 * @packageDocumentation
 */
export { scaffolderModuleAksBaseline as default } from './module';
export {
  createNamespaceCreateAction,
  CREATE_NAMESPACE_ACTION_ID,
} from './actions/createNamespace';
export type { CreateNamespaceActionOptions } from './actions/createNamespace';
export {
  createNamespaceRenderAction,
  RENDER_NAMESPACE_ACTION_ID,
} from './actions/renderNamespace';
export {
  createEvaluateAction,
  EVALUATE_ACTION_ID,
} from './actions/evaluateManifests';
export { createFixAction, FIX_ACTION_ID } from './actions/fixManifests';
export {
  aksBaselineCatalogConditions,
  hasMemberRule,
} from './permissions/hasMemberRule';
export { catalogModuleAksBaselinePermissionRules } from './permissions/catalogModule';
export { createNamespaceAuthorizer } from './permissions/namespaceAuthorizer';
export type {
  Initiator,
  InitiatorContext,
  NamespaceAccessRequest,
  NamespaceAuthorizer,
  NamespaceAuthorizerOptions,
} from './permissions/namespaceAuthorizer';
export { readScaffolderSettings } from './config';
export type {
  ClusterAuth,
  ManagedClusterTarget,
  ClusterTarget,
  ReachableCluster,
  ScaffolderSettings,
} from './config';
export { createTokenProvider, AKS_SCOPE } from './kubernetes/credentials';
export { createArmAccess } from './azure/armClient';
export type { ArmAccess, ArmAccessOptions } from './azure/armClient';
export type {
  TokenProvider,
  TokenProviderOptions,
} from './kubernetes/credentials';
export * from './manifests';
