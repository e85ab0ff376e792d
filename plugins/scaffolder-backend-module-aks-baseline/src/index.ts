/**
 * Scaffolder actions for baseline-compliant AKS namespaces:
 * `aks-baseline:namespace:create`, `aks-baseline:namespace:render` and the
 * `aks-baseline:evaluate` quality gate.
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
export { readScaffolderSettings } from './config';
export type { ClusterAuth, ClusterTarget, ScaffolderSettings } from './config';
export { createTokenProvider, AKS_SCOPE } from './kubernetes/credentials';
export type { TokenProvider } from './kubernetes/credentials';
export * from './manifests';
