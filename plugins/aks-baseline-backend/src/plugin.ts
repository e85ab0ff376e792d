/*
 * The AKS Baseline backend plugin: evaluates the configured clusters on a
 * global schedule (once across replicas sharing a database), scores the
 * catalog's annotated entities, stores results with history and serves them.
 */
import { randomUUID } from 'crypto';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  RuleInfo,
  Severity,
  aksBaselinePermissions,
} from '@aks-baseline/plugin-aks-baseline-common';
import {
  aksBaselineClusterSourcesExtensionPoint,
  aksBaselineRulesExtensionPoint,
  aksBaselineRulesServiceRef,
  AnyRuleDefinition,
  checkRuleSet,
  ClusterSource,
  RULE_CATALOG,
  subjectKindsOf,
  resolveConfig,
} from '@aks-baseline/plugin-aks-baseline-node';
import { readSettings } from './config';
import { AksBaselineStore } from './service/AksBaselineStore';
import { RunClaims } from './database/RunClaims';
import { ClusterWork } from './database/ClusterWork';
import { readEntityTargets } from './entities/targets';
import { createRouter, EvaluationTriggers } from './router/router';
import { createNamespacesRouter } from './router/namespaces/namespacesRouter';
import { describeError, EvaluationService } from './service/EvaluationService';
import { ClusterTasks } from './service/ClusterTasks';
import { createClusterFleet, readAzureDiscovery } from './sources/discovery';
import {
  AksBaselineNotifier,
  NotificationLog,
  readNotificationSettings,
} from './notifications';
import { registerAksBaselineActions } from './actions';
import { FindingsAccess } from './router/access/FindingsAccess';
import { PolicyReportsRepository } from './database/PolicyReportsRepository';
import { signalRunEvents } from './service/runSignals';
import { createManualChecklistRouter } from './router/manual/manualChecklistRouter';

/**
 * The scheduled evaluation: once across replicas per cycle, it queues every
 * cluster in the shared work table, from which each replica takes clusters
 * while it has free evaluation slots.
 *
 * @public
 */
export const EVALUATION_TASK_ID = 'aks-baseline-evaluate';
/** What a pass over every cluster did besides evaluating (see EvaluationService.sweep). */
export const SWEEP_TASK_ID = 'aks-baseline-sweep';
/** Listing the managed clusters of `aksBaseline.discovery.azure` (each replica its own). */
export const DISCOVERY_TASK_ID = 'aks-baseline-discover-clusters';
/** Notifying the platform team of clusters whose evaluation keeps failing. */
export const STALE_NOTIFICATIONS_TASK_ID = 'aks-baseline-notify-stale-clusters';
/**
 * The daily pruning of runs and history past retention.
 *
 * @public
 */
export const RETENTION_TASK_ID = 'aks-baseline-retention';

/** Rule metadata as served by `GET /rules`, with configured overrides. */
export function ruleInfos(
  rules: readonly AnyRuleDefinition[],
  baseline: unknown,
): RuleInfo[] {
  const overrides =
    (
      baseline as
        | { rules?: Record<string, { enabled?: boolean; severity?: Severity }> }
        | undefined
    )?.rules ?? {};
  return rules.map(rule => {
    const override = overrides[rule.id];
    const info: RuleInfo = {
      id: rule.id,
      baselineRef: rule.baselineRef,
      category: rule.category,
      severity: override?.severity ?? rule.severity,
      title: rule.title,
      rationale: rule.rationale,
      remediation: rule.remediation,
      scope: rule.scope,
      source: rule.source,
      enabled: override?.enabled !== false,
    };
    if (rule.scope === 'workload' || rule.scope === 'object') {
      info.kinds = [...subjectKindsOf(rule)];
    }
    if (rule.appliesTo?.profiles) info.profiles = [...rule.appliesTo.profiles];
    if (rule.manual) info.manual = rule.manual;
    if (rule.frameworks) info.frameworks = rule.frameworks;
    if (override?.severity && override.severity !== rule.severity) {
      info.defaultSeverity = rule.severity;
    }
    return info;
  });
}

function flatten<T>(items: Array<T | readonly T[]>): T[] {
  return items.flatMap(i => (Array.isArray(i) ? i : [i as T]));
}

/** @public */
export const aksBaselinePlugin = createBackendPlugin({
  pluginId: 'aks-baseline',
  register(env) {
    const extraRules: AnyRuleDefinition[] = [];
    const extraSources: ClusterSource[] = [];
    env.registerExtensionPoint(aksBaselineRulesExtensionPoint, {
      addRules(...rules) {
        extraRules.push(...flatten(rules));
      },
    });
    env.registerExtensionPoint(aksBaselineClusterSourcesExtensionPoint, {
      addClusterSources(...sources) {
        extraSources.push(...flatten(sources));
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        customRules: aksBaselineRulesServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
        signals: signalsServiceRef,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        lifecycle,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        catalog,
        customRules,
        notifications,
        actionsRegistry,
        signals,
      }) {
        permissionsRegistry.addPermissions([...aksBaselinePermissions]);

        const settings = readSettings(config);
        // The rules every evaluator shares, then this plugin's modules' own;
        // a definition the engine cannot run stops the backend, naming it.
        const rules = checkRuleSet([
          ...RULE_CATALOG,
          ...customRules.flatMap(provided => provided.rules),
          ...extraRules,
        ]);
        // A wrong rule id, severity or waiver stops the backend with the path of the mistake.
        resolveConfig(settings.baseline, rules);

        const sources = createClusterFleet(config, logger, { extraSources });
        const store = await AksBaselineStore.create({ database, logger });
        // This replica's share of the runs, in the database all replicas use.
        const holder = randomUUID();
        const claims = await RunClaims.create({ database, holder });
        const work = await ClusterWork.create({ database, holder });
        // Manual runs stop with the backend, as the scheduled ones do.
        const stopping = new AbortController();
        lifecycle.addShutdownHook(() => {
          stopping.abort();
          claims.close();
        });
        const notificationSettings = readNotificationSettings(config);
        const notifier = notificationSettings
          ? new AksBaselineNotifier({
              settings: notificationSettings,
              log: new NotificationLog(await database.getClient()),
              notifications,
              logger,
              listClusters: () => store.listClusters(),
            })
          : undefined;
        // Other tools' Policy Reports, read with the clusters when enabled.
        const policyReports = config.getOptionalBoolean(
          'aksBaseline.policyReports.enabled',
        )
          ? new PolicyReportsRepository(await database.getClient())
          : undefined;
        const service = new EvaluationService({
          claims,
          store,
          sources,
          rules,
          baseline: settings.baseline,
          readTargets: () => readEntityTargets({ catalog, auth, logger }),
          logger,
          clusterTimeoutMs: settings.clusterTimeoutMs,
          concurrency: settings.concurrency,
          ...(notifier ? { notifications: notifier } : {}),
          ...(policyReports ? { policyReports } : {}),
          runEvents: signalRunEvents(signals, logger),
        });
        logger.info(
          `AKS baseline: ${sources.size} configured cluster(s) (${[
            ...sources.values(),
          ]
            .map(s => `${s.name} [${s.kind}]`)
            .join(', ')})${
            sources.discoveryEnabled ? ' and discovered ones' : ''
          }, ${rules.length} rules`,
        );
        // The fleet queued once per cycle; each replica takes clusters while
        // it has a free slot, so that the replicas share it by load.
        const clusterTasks = new ClusterTasks({
          scheduler,
          service,
          work,
          store,
          logger,
          taskId: EVALUATION_TASK_ID,
          schedule: settings.schedule,
          concurrency: settings.concurrency,
        });
        lifecycle.addStartupHook(() => clusterTasks.start());
        lifecycle.addShutdownHook(() => clusterTasks.stop());
        if (sources.discoveryEnabled) {
          // Each replica keeps its own view of the fleet, so local scope;
          // the clusters it finds get their tasks after each listing.
          await scheduler.scheduleTask({
            id: DISCOVERY_TASK_ID,
            ...readAzureDiscovery(config)!.schedule,
            scope: 'local',
            fn: async signal => {
              try {
                await sources.refresh(signal);
              } finally {
                await clusterTasks.sync();
              }
            },
          });
        }

        await scheduler.scheduleTask({
          id: SWEEP_TASK_ID,
          ...settings.schedule,
          scope: 'global',
          fn: async () => {
            // Not before discovery has listed the fleet once.
            await sources.ready();
            await service.sweep();
          },
        });
        if (notifier && notificationSettings?.staleCluster) {
          await scheduler.scheduleTask({
            id: STALE_NOTIFICATIONS_TASK_ID,
            scope: 'global',
            frequency: { minutes: 15 },
            timeout: { minutes: 5 },
            initialDelay: { minutes: 1 },
            fn: () => notifier.checkStaleClusters(),
          });
        }
        await scheduler.scheduleTask({
          id: RETENTION_TASK_ID,
          scope: 'global',
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const before = new Date(
              Date.now() - settings.retentionDays * 24 * 60 * 60 * 1000,
            );
            const deleted = await store.deleteOlderThan(before);
            if (notifier) await notifier.prune(before);
            logger.info(
              `Pruned AKS baseline data older than ${settings.retentionDays} days: ${deleted.runs} runs, ${deleted.clusterHistory} cluster and ${deleted.entityHistory} entity history rows`,
            );
          },
        });

        const triggers: EvaluationTriggers = {
          hasCluster: name => service.hasCluster(name),
          clusterNames: () => service.clusterNames(),
          // Queued at once for every replica to share (not through the
          // scheduler, whose task waits for its initial delay).
          triggerAll: async requestedBy => {
            await sources.ready();
            const started = await clusterTasks.evaluateAll({
              trigger: 'manual',
              ...(requestedBy ? { requestedBy } : {}),
            });
            started.done.catch(error =>
              logger.error(`Evaluation failed: ${describeError(error)}`),
            );
            return { alreadyRunning: started.alreadyRunning };
          },
          triggerCluster: async (name, requestedBy) => {
            const started = await service.startCluster(name, {
              trigger: 'manual',
              ...(requestedBy ? { requestedBy } : {}),
              signal: stopping.signal,
            });
            started.done.catch(error =>
              logger.error(
                `Evaluation of ${name} failed: ${describeError(error)}`,
              ),
            );
            return {
              runId: started.runId,
              alreadyRunning: started.alreadyRunning,
            };
          },
        };

        httpRouter.use(
          await createRouter({
            store,
            evaluations: triggers,
            rules: ruleInfos(rules, settings.baseline),
            httpAuth,
            permissions,
            catalog,
            logger,
            ...(policyReports ? { policyReports } : {}),
          }),
        );
        // For AI assistants (the MCP actions backend): the same reads, the same access.
        registerAksBaselineActions({
          actionsRegistry,
          auth,
          access: new FindingsAccess({ permissions, catalog, logger }),
          store,
          rules: ruleInfos(rules, settings.baseline),
        });
        // The namespaces of the evaluated clusters (the catalog module reads them).
        httpRouter.use(
          await createNamespacesRouter({
            database,
            httpAuth,
            permissions,
            catalog,
            logger,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // The manual checklists' confirmations, shared and kept with who and when.
        httpRouter.use(
          await createManualChecklistRouter({
            database,
            config,
            httpAuth,
            permissions,
            catalog,
            logger,
            rules: ruleInfos(rules, settings.baseline),
          }),
        );
      },
    });
  },
});
