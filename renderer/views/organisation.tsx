// Managed policy in the popup: what the organisation set is shown read-only with "Set by your organisation"
// (and whom to ask), the policy's problems as a notice, and its justification templates where one is typed.
import type { AppState } from "../../electron/shared/ipc-api.js";

export type Organisation = AppState["organisation"];

/** The settings names main locks, as the policy resolver names them. */
export type LockedSetting =
  | "connection.cloud"
  | "connection.tenant"
  | "connection.clientId"
  | "planes"
  | "approvals.enabled"
  | "notifications.leadMinutes"
  | "tokenStorage"
  | "allowCustomEndpoints";

export function isLocked(o: Organisation, setting: LockedSetting): boolean {
  return o.locked.includes(setting);
}

export const SET_BY_ORGANISATION = "Set by your organisation";

/**
 * The lock: an icon people read as "locked", named for screen readers. An SVG, not an emoji: a desktop without an
 * emoji font would show an empty box.
 */
export function Lock() {
  return (
    <svg class="lock" role="img" aria-label={SET_BY_ORGANISATION} viewBox="0 0 16 16" width="12" height="12">
      <title>{SET_BY_ORGANISATION}</title>
      <path
        fill="currentColor"
        d="M5 7V5a3 3 0 0 1 6 0v2h.5A1.5 1.5 0 0 1 13 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 13.5v-5A1.5 1.5 0 0 1 4.5 7H5zm1.5 0h3V5a1.5 1.5 0 0 0-3 0v2z"
      />
    </svg>
  );
}

/** Under a locked field: who set it, and whom to ask to change it. */
export function LockedNote({ o, id }: { o: Organisation; id?: string }) {
  return (
    <p class="muted small locked-note" id={id}>
      <Lock /> {SET_BY_ORGANISATION}
      {o.supportContact ? (
        <>
          . To change it, contact <span class="contact">{o.supportContact}</span>.
        </>
      ) : (
        "."
      )}
    </p>
  );
}

/** The policy's problems, at the top of Settings: each line names the problem and the fix. */
export function PolicyNotice({ o }: { o: Organisation }) {
  if (!o.problems.length) return null;
  return (
    <div class="warning small policy-notice" role="alert" data-testid="policy-notice">
      <strong>
        Your organisation's policy {o.problems.length === 1 ? "has a problem" : `has ${o.problems.length} problems`}
      </strong>
      <ul>
        {o.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <span>
        The rest of the policy applies.
        {o.supportContact ? ` Tell ${o.supportContact}.` : " Tell your IT department."}
      </span>
    </div>
  );
}

/** The organisation's justification templates, offered beside a justification field: choosing one fills it. */
export function TemplatePicker({ o, onPick, id }: { o: Organisation; onPick: (text: string) => void; id: string }) {
  if (!o.justificationTemplates.length) return null;
  return (
    <select
      id={id}
      class="templates"
      aria-label="Justification templates"
      value=""
      onChange={(ev) => {
        const text = (ev.target as HTMLSelectElement).value;
        if (text) onPick(text);
        (ev.target as HTMLSelectElement).value = "";
      }}
    >
      <option value="">Use a template from your organisation…</option>
      {o.justificationTemplates.map((t) => (
        <option key={t} value={t}>
          {t}
        </option>
      ))}
    </select>
  );
}
