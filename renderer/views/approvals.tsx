// The Approvals tab: the requests that wait for my decision, on every plane, each with what an approver
// needs to decide it (who asks, for what, for how long, why, until when), and Approve or Deny with a
// justification. A request decided elsewhere first stays in place with the plain-words reason until
// dismissed, so the approver sees why their click did nothing.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ApprovalsView as Inbox, ApprovalView, AppState } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import { clock, minutesLabel, moment, timesOutIn } from "../format.js";
import { useNow, type Notify } from "../hooks.js";
import { kindOf, PLANE_LABELS, type PlaneKind } from "../targets.js";

export type Decision = "Approve" | "Deny";

/** A notification (or its Approve/Deny action) asked to open this request; `seq` tells two clicks apart. */
export interface ApprovalFocus {
  kind: PlaneKind;
  requestId: string;
  decision: Decision | null;
  seq: number;
}

/**
 * Opening the tab reads the inbox from the planes, but at most once a minute: the lifecycle reads it every
 * 5 minutes anyway and a notification's request is already in its picture, so once a minute is plenty and
 * switching tabs back and forth costs no Graph or ARM request. Module-level, so it outlives the tab's component.
 */
const OPEN_REFRESH_MS = 60_000;
let lastOpenRefreshAt = 0;

/** Ids differ in case between what a plane returns and what a notification carries; the plane tells equal ids apart. */
const keyOf = (a: { kind?: PlaneKind | undefined; requestId: string }) => `${kindOf(a)}:${a.requestId.toLowerCase()}`;

/** The kind of a BridgeError. Not instanceof: the preload (or preview bridge) bundles its own copy of the class. */
function failure(e: unknown): { kind: string | null; message: string } {
  const kind = e instanceof Error && "kind" in e && typeof e.kind === "string" ? e.kind : null;
  return { kind, message: e instanceof Error ? e.message : String(e) };
}

/** A request acted on here: decided (a short confirmation in its place) or stale (decided elsewhere first). */
interface Settled {
  item: ApprovalView;
  /** Where it stood in the list, so what shows in its place stays there after the list is read again. */
  index: number;
  outcome: "done" | "stale";
  message: string;
}

/** How long a decision's confirmation stays where the request was. */
const CONFIRMATION_MS = 8000;

type Row = { a: ApprovalView; settled: Settled | null };

export function ApprovalsInbox({
  state,
  notify,
  focus,
}: {
  state: AppState;
  notify: Notify;
  /** Set when a notification opened the popup on a request. */
  focus: ApprovalFocus | null;
}) {
  const now = useNow(30_000);
  const [inbox, setInbox] = useState<Inbox>(state.approvals);
  // Every state push carries the lifecycle's latest picture of the inbox.
  useEffect(() => setInbox(state.approvals), [state.approvals]);
  // True until the opening read answers: a request named by a notification is not "missing" before then.
  const [loading, setLoading] = useState(true);
  /** Decided here: hidden at once, even if a read that started before the decision still lists them. */
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [settled, setSettled] = useState<ReadonlyMap<string, Settled>>(new Map());
  const [problems, setProblems] = useState<Record<string, string>>({});
  /** What the approver typed per request; untouched fields show the last justification used. */
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<Record<string, Decision>>({});
  const [chosen, setChosen] = useState<Record<string, Decision>>({});
  /** The last decision's message, for screen readers: one live region that is always there. */
  const [confirmation, setConfirmation] = useState("");
  const [lastUsed, setLastUsed] = useState<string | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const fields = useRef(new Map<string, HTMLTextAreaElement>());
  /** Decisions on their way, read synchronously: two clicks in one frame see the same (stale) `busy` state. */
  const inFlight = useRef(new Set<string>());
  const handledFocus = useRef(0);
  const last = lastUsed ?? inbox.lastJustification ?? "";

  const read = async (refresh: boolean) => {
    setLoading(true);
    try {
      setInbox(await api().approvals({ refresh }));
    } catch (e) {
      notify("error", failure(e).message);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    const refresh = Date.now() - lastOpenRefreshAt >= OPEN_REFRESH_MS;
    if (refresh) lastOpenRefreshAt = Date.now();
    void read(refresh);
  }, []); // once per opening of the tab, on purpose

  const forget = (k: string) =>
    setSettled((s) => {
      const next = new Map(s);
      next.delete(k);
      return next;
    });

  const rows = useMemo(() => {
    const list: Row[] = inbox.items
      .filter((a) => !gone.has(keyOf(a)) || settled.has(keyOf(a)))
      .map((a) => ({ a, settled: settled.get(keyOf(a)) ?? null }));
    const left = [...settled.entries()].filter(([k]) => !list.some((r) => keyOf(r.a) === k));
    for (const [, s] of left.sort((x, y) => x[1].index - y[1].index))
      list.splice(Math.min(Math.max(0, s.index), list.length), 0, { a: s.item, settled: s });
    return list;
  }, [inbox.items, gone, settled]);

  // A notification's request: highlighted, scrolled to, its decision preselected and its justification focused,
  // once it is in the list (at once, or after the opening read).
  const focusKey = focus ? keyOf(focus) : null;
  const focusedRow = focusKey ? rows.find((r) => keyOf(r.a) === focusKey && !r.settled) : undefined;
  useEffect(() => {
    if (!focus || !focusKey || handledFocus.current === focus.seq || !focusedRow) return;
    handledFocus.current = focus.seq;
    setHighlight(focusKey);
    const decision = focus.decision;
    if (decision) setChosen((c) => ({ ...c, [focusKey]: decision }));
    const field = fields.current.get(focusKey);
    field?.scrollIntoView({ block: "center" });
    field?.focus();
  }, [focus, focusKey, focusedRow]);
  // A notification may name a request the inbox here still shows while main already knows it is gone (decided
  // elsewhere): main's list is read again at each notification opened, and a request opened from one that then
  // leaves the list, without a decision made here, is said to be gone too.
  useEffect(() => {
    if (focus) void read(false);
  }, [focus?.seq]);
  const openedAndGone = Boolean(
    focus && handledFocus.current === focus.seq && focusKey && !loading && !rows.some((r) => keyOf(r.a) === focusKey),
  );
  const focusMissing = Boolean(focus && handledFocus.current !== focus.seq && !focusedRow && !loading) || openedAndGone;

  const decide = async (a: ApprovalView, decision: Decision) => {
    const k = keyOf(a);
    if (inFlight.current.has(k)) return;
    const justification = (drafts[k] ?? last).trim();
    if (a.justificationRequired && !justification) {
      setProblems((p) => ({ ...p, [k]: `Give a justification to ${decision === "Approve" ? "approve" : "deny"}.` }));
      return;
    }
    inFlight.current.add(k);
    setBusy((b) => ({ ...b, [k]: decision }));
    setProblems(({ [k]: _, ...rest }) => rest);
    try {
      const out = await api().decide({ kind: kindOf(a), requestId: a.requestId, decision, justification });
      const index = rows.findIndex((r) => keyOf(r.a) === k);
      setGone((g) => new Set(g).add(k));
      setSettled((s) => new Map(s).set(k, { item: a, index, outcome: "done", message: out.message }));
      setTimeout(() => forget(k), CONFIRMATION_MS);
      setConfirmation(out.message);
      if (justification) setLastUsed(justification);
      setDrafts(({ [k]: _, ...rest }) => rest);
      if (highlight === k) setHighlight(null);
    } catch (e) {
      const f = failure(e);
      if (f.kind === "conflict" || f.kind === "not-found") {
        const index = rows.findIndex((r) => keyOf(r.a) === k);
        setSettled((s) => new Map(s).set(k, { item: a, index, outcome: "stale", message: f.message }));
        // The lifecycle reads the inbox again after a stale decision; this waits for that read.
        void read(true);
      } else {
        setProblems((p) => ({ ...p, [k]: f.message }));
      }
    } finally {
      inFlight.current.delete(k);
      setBusy(({ [k]: _, ...rest }) => rest);
    }
  };

  return (
    <section aria-label="Requests waiting for your approval" class="approvals">
      <div class="row">
        <h2 class="grow">Waiting for your approval</h2>
        <button type="button" class="link" disabled={loading} onClick={() => void read(true)}>
          {loading ? "Reading…" : "Refresh"}
        </button>
      </div>
      <p class="sr" role="status" aria-live="polite" data-testid="approval-announcement">
        {confirmation}
      </p>
      {inbox.notes.map((n) => (
        <div key={n} class="warning plane-note" data-testid="approval-note">
          {n}
        </div>
      ))}
      {focusMissing && (
        <p class="warning" role="alert">
          The request you opened no longer waits for your decision: it was decided, withdrawn or timed out.
        </p>
      )}
      {!inbox.enabled && rows.length === 0 ? (
        <p class="muted">Turn on "I approve requests" in Settings to see the requests that wait for you.</p>
      ) : rows.length === 0 ? (
        <p class="muted">
          {loading
            ? "Reading the requests that wait for you…"
            : `Nothing waits for your approval.${inbox.lastSyncAt ? ` Read at ${clock(inbox.lastSyncAt)}.` : ""}`}
        </p>
      ) : null}
      <ul class="list">
        {rows.map(({ a, settled: s }) => {
          const k = keyOf(a);
          if (s?.outcome === "done")
            return (
              <li key={k} class="item done" data-testid={`approval-${a.requestId}`}>
                <span aria-hidden="true">✓ </span>
                {s.message}
              </li>
            );
          return (
            <ApprovalItem
              key={k}
              a={a}
              now={now}
              value={drafts[k] ?? last}
              onInput={(v) => setDrafts((d) => ({ ...d, [k]: v }))}
              chosen={chosen[k] ?? null}
              busy={busy[k] ?? null}
              problem={problems[k] ?? null}
              staleMessage={s?.message ?? null}
              highlighted={highlight === k}
              fieldRef={(el) => (el ? fields.current.set(k, el) : fields.current.delete(k))}
              onDecide={(d) => void decide(a, d)}
              onDismiss={() => forget(k)}
            />
          );
        })}
      </ul>
    </section>
  );
}

/**
 * Whether the requester chose a later start. Graph fills a request's start with the moment it was made when none
 * was asked for, and PIM starts such a request when it is approved: a start within a minute of the request is "now".
 */
function startsLater(a: ApprovalView): boolean {
  return a.startDateTime !== null && Date.parse(a.startDateTime) - Date.parse(a.createdDateTime) > 60_000;
}

function ApprovalItem({
  a,
  now,
  value,
  onInput,
  chosen,
  busy,
  problem,
  staleMessage,
  highlighted,
  fieldRef,
  onDecide,
  onDismiss,
}: {
  a: ApprovalView;
  now: number;
  value: string;
  onInput: (v: string) => void;
  chosen: Decision | null;
  busy: Decision | null;
  problem: string | null;
  staleMessage: string | null;
  highlighted: boolean;
  fieldRef: (el: HTMLTextAreaElement | null) => void;
  onDecide: (d: Decision) => void;
  onDismiss: () => void;
}) {
  const kind = kindOf(a);
  // Ids for labels: request ids are GUIDs, safe in an id once the plane is in front.
  const id = `approval-${kind}-${a.requestId}`;
  const blank = !value.trim();
  const needsReason = a.justificationRequired && blank;
  const left = Date.parse(a.expiresAt) - now;
  const classes = ["item", "approval", highlighted ? "focused" : "", staleMessage ? "stale" : ""].filter(Boolean);
  return (
    <li class={classes.join(" ")} data-testid={`approval-${a.requestId}`} aria-labelledby={`${id}-what`}>
      <div class="name" id={`${id}-what`}>
        {a.label} <span class={`plane ${kind}`}>{PLANE_LABELS[kind].one}</span>
      </div>
      <div>
        asked by <strong>{a.requester.name}</strong>
        {a.requester.userPrincipalName && a.requester.userPrincipalName !== a.requester.name ? (
          <span class="muted small"> ({a.requester.userPrincipalName})</span>
        ) : null}
      </div>
      <div class="muted small">
        {a.durationMinutes !== null ? `for ${minutesLabel(a.durationMinutes)}` : "for the policy's maximum"} ·{" "}
        {startsLater(a) && a.startDateTime ? `starts ${moment(a.startDateTime, now)}` : "starts as soon as approved"} ·
        asked {moment(a.createdDateTime, now)}
      </div>
      <blockquote class={a.justification ? "why" : "why muted"}>
        {a.justification ? `“${a.justification}”` : "no justification given"}
      </blockquote>
      {a.ticket && (
        <div class="small">
          Ticket {a.ticket.number}
          {a.ticket.system ? ` (${a.ticket.system})` : ""}
        </div>
      )}
      <div class="small">
        <span class={left < 60 * 60_000 ? "state warn" : "muted"} title={`at ${moment(a.expiresAt, now)}`}>
          {timesOutIn(left)}
        </span>
        {a.stage.count > 1 && (
          <>
            {" "}
            · <span data-testid="stage">{`stage ${a.stage.index} of ${a.stage.count}`}</span>
          </>
        )}
      </div>
      {staleMessage ? (
        <div class="row">
          <p class="error grow" role="alert">
            {staleMessage}
          </p>
          <button type="button" class="link" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : (
        <div class="decide" role="group" aria-label={`Decide: ${a.label} for ${a.requester.name}`} aria-busy={!!busy}>
          <label for={`${id}-why`}>
            Your justification{" "}
            {a.justificationRequired ? <span class="required">(required)</span> : <span class="muted">(optional)</span>}
          </label>
          <textarea
            id={`${id}-why`}
            ref={fieldRef}
            rows={2}
            required={a.justificationRequired}
            aria-required={a.justificationRequired}
            aria-describedby={`${id}-hint`}
            value={value}
            onInput={(ev) => onInput((ev.target as HTMLTextAreaElement).value)}
            onKeyDown={(ev) => {
              // With a decision chosen in the notification, Enter sends it; Shift+Enter is a new line.
              if (ev.key === "Enter" && !ev.shiftKey && chosen) {
                ev.preventDefault();
                if (!busy && !needsReason) onDecide(chosen);
              }
            }}
          />
          <p class="muted small" id={`${id}-hint`}>
            {chosen
              ? needsReason
                ? `You chose ${chosen} in the notification: give your reason (the policy asks for one), then press Enter or ${chosen}.`
                : `You chose ${chosen} in the notification: press Enter or ${chosen} to send it.`
              : needsReason
                ? "The policy asks you for a reason to approve or deny."
                : ""}
          </p>
          {problem && (
            <p class="error" role="alert">
              {problem}
            </p>
          )}
          <div class="row">
            <button
              type="button"
              class={chosen === "Deny" ? "" : "primary"}
              disabled={busy !== null || needsReason}
              onClick={() => onDecide("Approve")}
            >
              {busy === "Approve" ? "Approving…" : "Approve"}
            </button>
            <button
              type="button"
              class={chosen === "Deny" ? "primary danger" : "danger"}
              disabled={busy !== null || needsReason}
              onClick={() => onDecide("Deny")}
            >
              {busy === "Deny" ? "Denying…" : "Deny"}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
