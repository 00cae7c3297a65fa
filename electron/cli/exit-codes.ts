import type { ActivationOutcome } from "../engine/activation/activation-service.js";
import type { ErrorKind } from "../engine/errors.js";

/** Documented in docs/cli.md; scripts depend on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  auth: 3,
  policy: 4,
  denied: 5,
  pending: 6,
  network: 7,
  config: 8,
  consent: 9,
  /** An approval already decided (by you or another approver): nothing was sent. */
  conflict: 10,
  /** `pimtray doctor`: at least one check failed (each says what to do). */
  doctorFailed: 11,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case "usage":
    case "not-found":
    case "ambiguous":
      return EXIT.usage;
    case "auth":
      return EXIT.auth;
    case "policy":
      return EXIT.policy;
    case "denied":
      return EXIT.denied;
    case "pending":
      return EXIT.pending;
    case "network":
    case "server":
      return EXIT.network;
    case "config":
      return EXIT.config;
    case "consent":
      return EXIT.consent;
    case "conflict":
      return EXIT.conflict;
  }
}

/** An activation's exit code; with --wait, still pending or provisioning at the timeout is its own code. */
export function outcomeExitCode(o: ActivationOutcome, waited: boolean): number {
  if (o.error) return exitCodeFor(o.error.kind);
  if (o.status === "denied" || o.status === "canceled" || o.status === "failed") return EXIT.denied;
  if (waited && (o.status === "pending-approval" || o.status === "provisioning")) return EXIT.pending;
  return EXIT.ok;
}
