// Troubleshoot: the doctor's checks as the app sees them (the same checks as `pimtray doctor`), each with its
// status, what was found and what to do; "Run again"; and "Export diagnostics…", the zip to send to IT.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { CheckStatus, DoctorReport } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import type { Notify } from "../hooks.js";

const ICON: Record<CheckStatus, string> = { ok: "✓", warn: "!", fail: "✗", skip: "–" };
const STATUS_WORD: Record<CheckStatus, string> = { ok: "OK", warn: "Warning", fail: "Failed", skip: "Not checked" };
const OVERALL: Record<DoctorReport["status"], string> = {
  ok: "Everything checked is working.",
  warn: "Working, with warnings: see below.",
  fail: "Something is wrong: see what to do below.",
};

export function TroubleshootView({ notify, onClose, run }: { notify: Notify; onClose: () => void; run: number }) {
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [checking, setChecking] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const check = useCallback(async () => {
    setChecking(true);
    try {
      setReport(await api().doctor());
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  }, [notify]);
  // Runs on opening, and again each time the tray's Troubleshoot… opens it (`run` counts those).
  useEffect(() => void check(), [check, run]);
  const exportZip = async () => {
    setExporting(true);
    try {
      const { path } = await api().exportDiagnostics();
      // Cancelled: nothing was written, nothing to say.
      if (path) setExported(path);
    } catch (e) {
      notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <section aria-label="Troubleshoot">
      <div class="row">
        <h2 class="grow">Troubleshoot</h2>
        <button type="button" class="link" onClick={onClose}>
          Back
        </button>
      </div>
      <p class="small" role="status" aria-live="polite" data-testid="doctor-summary">
        {checking ? "Checking…" : report ? OVERALL[report.status] : ""}
      </p>
      {report && (
        <ul class="checks" aria-label="Checks" aria-busy={checking}>
          {report.checks.map((c) => (
            <li key={c.id} class="check" data-testid={`check-${c.id}`} data-status={c.status}>
              <div>
                <span class={`check-status ${c.status}`} role="img" aria-label={STATUS_WORD[c.status]}>
                  {ICON[c.status]}
                </span>
                <strong class="check-title">{c.title}</strong>
              </div>
              <p class="small detail">{c.detail}</p>
              {c.fix && <p class="small fix">What to do: {c.fix}</p>}
            </li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" disabled={checking} onClick={() => void check()}>
          Run again
        </button>
        <button type="button" class="primary" disabled={exporting || checking} onClick={() => void exportZip()}>
          {exporting ? "Exporting…" : "Export diagnostics…"}
        </button>
      </div>
      {exported && (
        <p class="small" role="status" data-testid="export-path">
          Diagnostics saved to <code>{exported}</code>. Tokens and secrets are scrubbed from every file; the token cache
          is not included. Send this file to your IT department.
        </p>
      )}
    </section>
  );
}
