/*
 * The create action's writes, one checkpoint each: a resumed task skips the
 * steps that succeeded, and a failure says what was applied and what not.
 */
import { JsonObject } from '@backstage/types';

export interface Step {
  /** Checkpoint key; stable across runs. */
  key: string;
  /** What the step writes, e.g. "Namespace payments-dev". */
  label: string;
  run(): Promise<JsonObject>;
}

export interface StepContext {
  checkpoint<T extends JsonObject>(opts: {
    key: string;
    fn: () => Promise<T>;
  }): Promise<T>;
  logger: { info(message: string): void };
  output(name: 'applied', value: string[]): void;
}

/** Runs the steps in order; `applied` lists the labels done, also on failure. */
export async function runSteps(ctx: StepContext, steps: Step[]) {
  const applied: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    try {
      await ctx.checkpoint({ key: step.key, fn: step.run });
    } catch (error) {
      ctx.output('applied', applied);
      const remaining = steps.slice(i).map(s => s.label);
      throw new Error(
        `${(error as Error).message}\nApplied before the failure: ${
          applied.length ? applied.join(', ') : 'nothing'
        }. Not applied: ${remaining.join(
          ', ',
        )}. Fix the cause and run the task again: applying is idempotent and completes the namespace.`,
      );
    }
    applied.push(step.label);
    ctx.logger.info(`Applied ${step.label}`);
  }
  ctx.output('applied', applied);
}
