import { PimTrayError } from "../errors.js";
import { named, type ActivateInput, type ActivationOutcome, type ManyOptions } from "./activation-types.js";

// Several activations at once (a profile, `pimtray activate` with several targets). Every item starts
// at once; the gate in `opts` (submission-gate.ts) limits how many POSTs are in flight, and the one
// tracker follows every submitted request with shared reads. Each outcome is told as it completes.

/** Several activations at once; one failure never stops the others. */
export async function activateMany(
  activate: (input: ActivateInput, opts: ManyOptions) => Promise<ActivationOutcome>,
  inputs: ActivateInput[],
  opts: ManyOptions = {},
): Promise<ActivationOutcome[]> {
  const { onOutcome, ...each } = opts;
  return Promise.all(
    inputs.map(async (input, i) => {
      let o: ActivationOutcome;
      try {
        o = await activate(input, each);
      } catch (e) {
        o = failedOutcome(input, e);
      }
      onOutcome?.(o, i);
      return o;
    }),
  );
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
