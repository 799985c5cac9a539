/**
 * A training run's end by failure, from its job or from the sweeper (which runs in the API, so
 * nothing here loads the engine).
 */
import type { ComputeDeps } from "./deps.js";
import { advanceExperiment } from "./experiment-step.js";
import { times } from "./messages.js";
import { markRunFailed, notifyTrainingProgress } from "./sql/training-runs.js";

export function diedTrainingMessage(deaths: number): string {
  return `A worker died training this model ${times(deaths)}; the model may need more memory than a worker has`;
}

/** Fails a queued or running run with a code and a message; its experiment takes its next step. */
export async function failRun(deps: Pick<ComputeDeps, "pool" | "queue">, runId: string, code: string, message: string): Promise<void> {
  const experimentId = await markRunFailed(deps.pool, runId, code, message);
  await notifyTrainingProgress(deps.pool, runId);
  if (experimentId) await advanceExperiment(deps, experimentId);
}
