import { PimTrayError } from "../errors.js";
import { named, type ActivateInput, type ActivationOutcome, type TrackOptions } from "./activation-types.js";

// Several activations at once (a profile, `pimtray activate` with several groups).

/** Enough to overlap the waits for PIM without looking like a burst to Graph's throttling. */
const DEFAULT_CONCURRENCY = 4;

/** Several activations at once, a few at a time; one failure never stops the others. */
export async function activateMany(
  activate: (input: ActivateInput, opts: TrackOptions) => Promise<ActivationOutcome>,
  inputs: ActivateInput[],
  opts: TrackOptions & { concurrency?: number } = {},
): Promise<ActivationOutcome[]> {
  const results: ActivationOutcome[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const input = inputs[i];
      if (!input) return;
      try {
        results[i] = await activate(input, opts);
      } catch (e) {
        results[i] = failedOutcome(input, e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, inputs.length) }, worker));
  return results;
}

function failedOutcome(input: ActivateInput, e: unknown): ActivationOutcome {
  const err =
    e instanceof PimTrayError
      ? e
      : new PimTrayError("server", e instanceof Error ? e.message : String(e), { cause: e });
  return {
    ...named(input.target),
    status: "failed",
    requestId: null,
    requestStatus: null,
    startDateTime: null,
    endDateTime: null,
    durationMs: input.durationMs ?? null,
    error: err,
  };
}
