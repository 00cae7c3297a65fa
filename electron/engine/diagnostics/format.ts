import type { Check, DoctorReport } from "./types.js";

// The doctor's report for people: one line per check, then what to do for each problem. The same text goes
// into an exported zip (doctor.txt); the popup shows the checks from the JSON instead.

const LABEL: Record<Check["status"], string> = { ok: "ok", warn: "WARN", fail: "FAIL", skip: "skip" };

export function summaryLine(r: DoctorReport): string {
  const fails = r.checks.filter((c) => c.status === "fail").length;
  const warns = r.checks.filter((c) => c.status === "warn").length;
  if (!fails && !warns) return "Everything checked is fine.";
  const parts = [];
  if (fails) parts.push(`${fails} problem${fails === 1 ? "" : "s"}`);
  if (warns) parts.push(`${warns} warning${warns === 1 ? "" : "s"}`);
  return `${parts.join(" and ")}: see "What to do" below.`;
}

/** The report as text; `paint` colours a status label (the terminal's colours, or none). */
export function formatReport(
  r: DoctorReport,
  paint: (status: Check["status"], text: string) => string = (_s, t) => t,
): string {
  const width = Math.max(...r.checks.map((c) => c.title.length));
  const lines = [`PIM Tray doctor, ${r.generatedAt}`, ""];
  for (const c of r.checks) {
    const label = paint(c.status, LABEL[c.status].padEnd(4));
    lines.push(`${label}  ${c.title.padEnd(width)}  ${c.detail}`);
  }
  const todo = r.checks.filter((c) => c.fix && (c.status === "fail" || c.status === "warn"));
  lines.push("", summaryLine(r));
  if (todo.length) {
    lines.push("", "What to do:");
    for (const c of todo) lines.push(`- ${c.title} (${LABEL[c.status]}): ${c.fix}`);
  }
  return lines.join("\n");
}
