// One activation request on any plane: duration within the policy, justification, ticket, start time,
// and for an Azure role the scope (its eligibility's, or a narrower one: a reduced-scope activation).
// The policy is enforced here before anything is sent; main checks again. A long list is shown before main
// has read every policy: a form opened on a row whose policy is still loading asks for it at once, and
// sends nothing until it is known.
import { useEffect, useState } from "preact/hooks";
import type { AppState, EligibleView, OutcomeView, PolicyView, RequestOf } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { minutesLabel } from "../format.js";
import { useAction, type Notify } from "../hooks.js";
import { nameOf, noun, targetKey, testIdOf } from "../targets.js";
import { TemplatePicker } from "./organisation.js";
import { ScopePicker, type PickedScope } from "./scope-picker.js";

/** What the activate request names: a group as it always did, a role or an Azure role (at the picked scope) by target. */
function targetOf(
  e: EligibleView,
  scope: PickedScope | null,
): Pick<RequestOf<"pim:activate">, "groupId" | "accessId" | "target"> {
  switch (e.kind) {
    case "role":
      return { target: { kind: "role", roleDefinitionId: e.roleDefinitionId, directoryScopeId: e.directoryScopeId } };
    case "azure":
      return {
        target: {
          kind: "azure",
          roleDefinitionId: e.roleDefinitionId,
          scope: scope?.id ?? e.scope,
          ...(scope ? { scopeName: scope.name } : {}),
        },
      };
    default:
      return { groupId: e.groupId, accessId: e.accessId };
  }
}

export function ActivateForm({
  e,
  policy: listed,
  onPolicy,
  state,
  notify,
  onDone,
}: {
  e: EligibleView;
  /** The row's policy as the list knows it (it may still be loading). */
  policy?: PolicyView;
  /** The policy this form read because the list had not yet. */
  onPolicy?: (p: PolicyView) => void;
  state: AppState;
  notify: Notify;
  onDone: () => void;
}) {
  const key = targetKey(e);
  const [read, setRead] = useState<PolicyView | null>(null);
  const fromList = listed ?? e.policy;
  // What the list knows once read; until then, what this form read for itself.
  const policy = fromList.status === undefined ? fromList : (read ?? fromList);
  useEffect(() => {
    if (fromList.status === undefined) return;
    let live = true;
    api()
      .policies({ keys: [key] })
      .then(([r]) => {
        if (!live) return;
        // A row main no longer lists: PIM decides at submission, as for an unknown policy.
        const p = r?.policy ?? { ...fromList, status: "unread" as const };
        setRead(p);
        if (r) onPolicy?.(r.policy);
      })
      .catch(() => live && setRead({ ...fromList, status: "unread" }));
    return () => {
      live = false;
    };
    // Once per form: the read is for the row it opened on.
  }, [key]);
  const reading = policy.status === "loading";
  const max = policy.maxMinutes ?? 8 * 60;
  const [minutes, setMinutes] = useState(Math.min(60, max));
  const [durationTouched, setDurationTouched] = useState(false);
  // The policy arrived after the form opened: the default duration follows it until the person chose one.
  useEffect(() => {
    if (!durationTouched) setMinutes(Math.min(60, max));
  }, [max]);
  const chooseMinutes = (m: number) => {
    setDurationTouched(true);
    setMinutes(m);
  };
  // Prefilled from a profile that holds this target, else the last justification used.
  const fromProfile = state.profiles.find(
    (p) => p.justification && p.targets.some((t) => targetKey(t) === key),
  )?.justification;
  const [justification, setJustification] = useState(fromProfile ?? state.lastJustification ?? "");
  const [ticketSystem, setTicketSystem] = useState("");
  const [ticketNumber, setTicketNumber] = useState("");
  const [later, setLater] = useState(false);
  const [startAt, setStartAt] = useState("");
  const [validateOnly, setValidateOnly] = useState(false);
  /** A narrower scope than the eligibility's (Azure roles); null is the eligibility's own. */
  const [scope, setScope] = useState<PickedScope | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, run } = useAction((_k, t) => setProblem(t));
  const id = testIdOf(e).replace(/[^\w-]/g, "_");
  const name = nameOf(e);
  const what = noun(e);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(null);
    // Never sent on a policy not yet read: its limits are what this form checks.
    if (reading) return setProblem(`Reading the policy for ${name}: a moment.`);
    if (minutes > max)
      return setProblem(`${name} can be active for at most ${minutesLabel(max)}. Choose ${minutesLabel(max)} or less.`);
    if (minutes < 5) return setProblem("PIM activations last at least 5 minutes.");
    if (policy.justificationRequired && !justification.trim())
      return setProblem(`This ${what} requires a justification: say why you need it.`);
    if (policy.ticketRequired && (!ticketSystem.trim() || !ticketNumber.trim()))
      return setProblem(`This ${what} requires a ticket: fill in the ticket system and number.`);
    if (later && !startAt) return setProblem("Choose when the activation should start, or pick Now.");
    const out: OutcomeView | undefined = await run("activate", () =>
      api().activate({
        ...targetOf(e, scope),
        durationMinutes: minutes,
        ...(justification.trim() ? { justification: justification.trim() } : {}),
        ...(ticketSystem.trim() && ticketNumber.trim()
          ? { ticket: { system: ticketSystem.trim(), number: ticketNumber.trim() } }
          : {}),
        ...(later && startAt ? { startAt: new Date(startAt).toISOString() } : {}),
        ...(validateOnly ? { validateOnly: true } : {}),
      }),
    );
    if (!out) return;
    if (out.error) return setProblem(out.error.message);
    notify(out.status === "denied" || out.status === "failed" ? "error" : "ok", out.message);
    onDone();
  };

  return (
    <form class="activate" onSubmit={submit} aria-label={`Activate ${name}`} aria-busy={busy !== null}>
      {e.kind === "azure" && <ScopePicker e={e} picked={scope} onPick={setScope} />}
      {reading && (
        <p class="muted small" role="status" data-testid="policy-reading">
          Reading the policy for {name}…
        </p>
      )}
      {policy.status === "unread" && (
        <p class="muted small" data-testid="policy-unread">
          The policy could not be read: PIM checks it when you activate.
        </p>
      )}
      <label for={`dur-${id}`}>
        Duration <span class="muted">{reading ? "(reading the policy…)" : `(at most ${minutesLabel(max)})`}</span>
      </label>
      <div class="row">
        <input
          id={`dur-${id}`}
          type="range"
          min={5}
          max={max}
          step={5}
          value={Math.min(minutes, max)}
          onInput={(ev) => chooseMinutes(Number((ev.target as HTMLInputElement).value))}
          aria-valuetext={minutesLabel(minutes)}
        />
        <input
          type="number"
          class="num"
          aria-label="Duration in minutes"
          min={5}
          value={minutes}
          onInput={(ev) => chooseMinutes(Number((ev.target as HTMLInputElement).value))}
        />
        <span class="muted">min</span>
      </div>
      <label for={`just-${id}`}>Justification{policy.justificationRequired ? " (required)" : ""}</label>
      <textarea
        id={`just-${id}`}
        rows={2}
        value={justification}
        onInput={(ev) => setJustification((ev.target as HTMLTextAreaElement).value)}
      />
      <TemplatePicker o={state.organisation} id={`just-${id}-templates`} onPick={setJustification} />
      {policy.ticketRequired && (
        <div class="row">
          <input
            aria-label="Ticket system"
            placeholder="Ticket system (e.g. ServiceNow)"
            value={ticketSystem}
            onInput={(ev) => setTicketSystem((ev.target as HTMLInputElement).value)}
          />
          <input
            aria-label="Ticket number"
            placeholder="Number"
            value={ticketNumber}
            onInput={(ev) => setTicketNumber((ev.target as HTMLInputElement).value)}
          />
        </div>
      )}
      <fieldset class="row inline">
        <legend class="sr">Start</legend>
        <label>
          <input type="radio" name={`start-${id}`} checked={!later} onChange={() => setLater(false)} /> Now
        </label>
        <label>
          <input type="radio" name={`start-${id}`} checked={later} onChange={() => setLater(true)} /> Later
        </label>
        {later && (
          <input
            type="datetime-local"
            aria-label="Start at"
            value={startAt}
            onInput={(ev) => setStartAt((ev.target as HTMLInputElement).value)}
          />
        )}
      </fieldset>
      <label class="inline">
        <input
          type="checkbox"
          checked={validateOnly}
          onChange={(ev) => setValidateOnly((ev.target as HTMLInputElement).checked)}
        />{" "}
        Validate only
      </label>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy !== null || reading}>
        {busy ? "Working…" : reading ? "Reading the policy…" : validateOnly ? "Validate" : "Activate"}
      </button>
    </form>
  );
}
