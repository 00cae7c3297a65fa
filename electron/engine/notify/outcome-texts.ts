import type { ActivationOutcome } from "../activation/activation-service.js";
import { labelOf } from "../planes/targets.js";
import { formatDuration } from "../duration.js";
import { clockTime } from "./texts.js";

// What an activation, deactivation or cancel came to, in words: the popup's message and the
// `pimtray` line both come from here. The terminal says more (the request id, the next command);
// the popup says what happens next. docs/cli.md quotes the terminal's lines.

export type OutcomeTone = "ok" | "bad" | "wait";

/** How a front end shows an outcome: its audience decides the words, the rest only the look. */
export interface OutcomeVoice {
  audience: "popup" | "terminal";
  /** Shown before the sentence (the terminal's coloured ✓ ✗ …); the popup has none. */
  mark?: (tone: OutcomeTone) => string;
  /** A name from Graph or ARM (a group's, a role's, a scope's), made safe for where it is shown. */
  name: (name: string) => string;
  /** The end time after "until". */
  until: (endIso: string) => string;
  /** The start time of a scheduled activation (null when PIM did not say). */
  startsAt: (startIso: string | null) => string;
}

export const POPUP_VOICE: OutcomeVoice = {
  audience: "popup",
  name: (n) => n,
  until: (end) => clockTime(end),
  startsAt: (start) => (start ? clockTime(start) : "the chosen time"),
};

export function outcomeText(o: ActivationOutcome, v: OutcomeVoice = POPUP_VOICE): string {
  const [tone, text] = sentence(o, v);
  return v.mark ? `${v.mark(tone)} ${text}` : text;
}

function sentence(o: ActivationOutcome, v: OutcomeVoice): [OutcomeTone, string] {
  const terminal = v.audience === "terminal";
  const name = labelOf(o, v.name);
  const request = terminal ? ` (request ${o.requestId})` : "";
  const until = o.endDateTime ? ` until ${v.until(o.endDateTime)}` : "";
  switch (o.status) {
    case "active":
      return ["ok", `${name} is active${until}.`];
    case "already-active":
      return ["ok", `${name} ${terminal ? "was already" : "is"} active${until}.`];
    case "provisioning":
      return [
        "wait",
        terminal
          ? `${name} is being provisioned${request}. Check with \`pimtray status\`.`
          : `${name} is being activated.`,
      ];
    case "pending-approval":
      return [
        "wait",
        `${name} is waiting for approval${request}. ${terminal ? "Add --wait to wait for the decision." : "You will be told when it is decided."}`,
      ];
    case "scheduled":
      return ["ok", `${name} is scheduled to start at ${v.startsAt(o.startDateTime)}${request}.`];
    case "validated":
      return [
        "ok",
        terminal
          ? `${name} would be accepted for ${formatDuration(o.durationMs ?? 0)}: validation only, nothing was activated.`
          : `${name} would be accepted. Nothing was activated.`,
      ];
    case "deactivated":
      return ["ok", `${name} is deactivated.`];
    case "denied":
      return ["bad", `${name} was denied by the approver${request}.`];
    case "canceled":
      return [
        "bad",
        terminal ? `${name}: the request was canceled${request}.` : `The request for ${name} was canceled.`,
      ];
    case "failed":
      return [
        "bad",
        terminal
          ? `${name}: ${o.error?.message ?? `PIM reported ${o.requestStatus ?? "a failure"}`}`
          : (o.error?.message ?? `${name} could not be activated.`),
      ];
  }
}
