// Walks the chain: each step runs in turn, and a step the rest cannot go on without names why, so
// the steps after it are reported as skipped with that reason.
import { signInStepTitles, type SignInStep, type SignInStepId, type SignInStepStatus } from './model';

export interface StepResult {
  status: SignInStepStatus;
  detail: string;
  fix?: string;
  /** The step's title when it differs by what serves MCP (a self-hosted server has no MCP webhook). */
  title?: string;
  /** Set when the steps after this one cannot run: the reason they are reported skipped. */
  stopsChain?: string;
}

export interface ChainStep<Context> {
  id: SignInStepId;
  run(context: Context): Promise<StepResult> | StepResult;
}

export function signInStep(id: SignInStepId, result: StepResult): SignInStep {
  const { status, detail, fix, title } = result;
  return { id, title: title ?? signInStepTitles[id], status, detail, ...(fix ? { fix } : {}) };
}

export function skippedSteps(ids: readonly SignInStepId[], reason: string): SignInStep[] {
  return ids.map((id) => signInStep(id, { status: 'skip', detail: reason }));
}

export async function runChain<Context>(
  steps: readonly ChainStep<Context>[],
  context: Context,
): Promise<SignInStep[]> {
  const done: SignInStep[] = [];
  for (const [index, step] of steps.entries()) {
    const result = await step.run(context);
    done.push(signInStep(step.id, result));
    if (result.stopsChain) {
      const rest = steps.slice(index + 1).map((later) => later.id);
      return [...done, ...skippedSteps(rest, result.stopsChain)];
    }
  }
  return done;
}
