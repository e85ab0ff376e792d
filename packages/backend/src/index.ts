/*
 * The demo portal's backend (new backend system). The AKS Baseline plugins
 * are added here as they land; everything else is the standard set a
 * Backstage adopter runs.
 */

import { createBackend } from '@backstage/backend-defaults';
import { catalogModuleAksBaselinePermissionRules } from '@aks-baseline/plugin-scaffolder-backend-module-aks-baseline';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// AKS Baseline scaffolder actions (namespaces, render, evaluate); see docs/scaffolder.md
backend.add(
  import('@aks-baseline/plugin-scaffolder-backend-module-aks-baseline'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// The catalog rule HAS_MEMBER, which the policy's conditions on
// aks-baseline.namespace.create use; see docs/access.md
backend.add(catalogModuleAksBaselinePermissionRules);
// The AKS fleet as Resource entities (clusters, namespaces); off until
// catalog.providers.aksBaseline is configured (see its README)
backend.add(import('@aks-baseline/plugin-catalog-backend-module-aks-baseline'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));
// Demo only: its tab reads the aksBaseline snapshot clusters
backend.add(import('./modules/snapshotKubernetes'));

// AKS Baseline: evaluates the clusters under `aksBaseline` in app-config
backend.add(import('@aks-baseline/plugin-aks-baseline-backend'));
// A platform team's own rule for the portal and the scaffolder's gate: the
// worked example (Flux HelmReleases pin their chart version), examples/custom-rule
backend.add(import('@internal/aks-baseline-example-custom-rule'));

// Tech Insights: the AKS Baseline fact retriever (each scored entity's
// score, grade and findings by severity, read from the AKS Baseline backend)
// and the JSON rules engine checks on those facts, both configured under
// techInsights in app-config
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(
  import('@aks-baseline/plugin-tech-insights-backend-module-aks-baseline'),
);

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// MCP server for AI assistants (/api/mcp-actions/v1): the actions of the
// plugins under backend.actions.pluginSources in app-config (aks-baseline)
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
