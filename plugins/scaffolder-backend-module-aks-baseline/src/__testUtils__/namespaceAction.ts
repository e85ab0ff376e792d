/*
 * Running aks-baseline:namespace:create in a test as the scaffolder runs it:
 * the payments team's request for the dev cluster, the task's user and
 * credentials, checkpoints kept as the task runner keeps them.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { UserEntity } from '@backstage/catalog-model';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { USERS } from './org';
import { CLIENT_ID, GROUP_ID } from './settings';

/** The action's input for payments-dev on the dev cluster, with changes. */
export function devInput(overrides: Record<string, unknown> = {}) {
  return {
    cluster: 'aks-dev-koreacentral',
    namespace: 'payments-dev',
    owner: 'group:default/team-payments',
    environment: 'non-production',
    quota: 'small',
    workloadIdentity: {
      clientId: CLIENT_ID,
      serviceAccountName: 'payments-api',
    },
    teamGroup: GROUP_ID,
    ...overrides,
  };
}

/** Checkpoints as the task runner keeps them: successes are not re-run. */
export function checkpointStore() {
  const state = new Map<string, { status: string; value?: unknown }>();
  return {
    state,
    async checkpoint(opts: { key: string; fn: () => Promise<any> | any }) {
      const previous = state.get(opts.key);
      if (previous?.status === 'success') return previous.value;
      try {
        const value = await opts.fn();
        state.set(opts.key, { status: 'success', value: value ?? {} });
        return value;
      } catch (e) {
        state.set(opts.key, { status: 'failed' });
        throw e;
      }
    },
  };
}

/** The task's user as the scaffolder sets it, and the credentials it carries. */
export function asUser(entity: UserEntity) {
  const ref = `user:default/${entity.metadata.name}`;
  return {
    user: { entity, ref },
    getInitiatorCredentials: async () => mockCredentials.user(ref),
  };
}

/** What the tests read of the context an action ran with (the scaffolder's mock). */
export interface RanContext {
  output: jest.Mock;
  workspacePath: string;
}

/** What the action output, by name. */
export function outputsOf(ctx: { output: jest.Mock }): Record<string, any> {
  return Object.fromEntries(ctx.output.mock.calls);
}

/**
 * `run` and `fails` (which expects an error) for an action, in a context
 * where Jisoo Kim, a member of team-payments, runs the task unless `extra`
 * says otherwise (another user, a checkpoint store, a dry run...).
 */
export function actionRunner(action: { handler(ctx: any): Promise<void> }) {
  const context = (
    input: Record<string, unknown>,
    extra: Record<string, unknown>,
  ): RanContext =>
    Object.assign(
      createMockActionContext({ input: input as any }),
      asUser(USERS.jisoo),
      extra,
    ) as any;
  const run = async (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = context(input, extra);
    await action.handler(ctx as any);
    return ctx;
  };
  /** Runs the action expecting it to fail; the error and the context. */
  const fails = async (
    input: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) => {
    const ctx = context(input, extra);
    const error = await action.handler(ctx as any).then(
      () => undefined,
      e => e as Error,
    );
    if (!error) throw new Error('expected the action to fail');
    return { error, ctx };
  };
  return { run, fails };
}
