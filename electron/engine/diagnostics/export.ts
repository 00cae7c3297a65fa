import { createWriteStream } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import { basename } from "node:path";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";
import { formatReport } from "./format.js";
import { scrubSecrets, scrubValue } from "./scrub.js";
import type { DoctorReport } from "./types.js";

// "Export diagnostics…" and `pimtray doctor --export`: one zip an administrator can be sent, with the logs,
// the doctor's report and the effective settings and policy, every secret scrubbed on the way in.

export interface DiagnosticsExport {
  /** The zip to write (replaced if it exists). */
  path: string;
  report: DoctorReport;
  /** Log files to include (missing ones are skipped): pimtray.log and its rotated copies. */
  logFiles: string[];
  /** The effective settings (as loaded, after defaults and policy). */
  settings: unknown;
  /** The effective policy with its sources, when the front end reads policy. */
  policy?: unknown;
}

export const EXPORT_README = `PIM Tray diagnostics

doctor.txt / doctor.json   the doctor's checks (docs/cli.md, "doctor", describes the JSON)
settings.json              the effective settings
policy.json                the effective managed policy and where each value comes from (if any)
logs/                      the diagnostic log and its rotated copies

Every file was scrubbed before it was written: access, refresh and ID tokens, bearer values, Authorization
and cookie headers, client secrets and assertions, authorization codes and proxy passwords are replaced by
[redacted] or [token]. The token cache is never included.
`;

function json(value: unknown): string {
  return `${JSON.stringify(scrubValue(value), null, 2)}\n`;
}

/** Writes the zip (owner-only, through a temporary file); returns the names of its entries. */
export async function exportDiagnostics(x: DiagnosticsExport): Promise<string[]> {
  const entries: Array<[string, string]> = [
    ["README.txt", EXPORT_README],
    ["doctor.txt", `${scrubSecrets(formatReport(x.report))}\n`],
    ["doctor.json", json(x.report)],
    ["settings.json", json(x.settings ?? null)],
  ];
  if (x.policy !== undefined) entries.push(["policy.json", json(x.policy)]);
  for (const file of x.logFiles) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      continue;
    }
    entries.push([`logs/${basename(file)}`, scrubSecrets(text)]);
  }
  const zip = new ZipFile();
  const mtime = new Date(x.report.generatedAt);
  for (const [name, text] of entries) zip.addBuffer(Buffer.from(text, "utf8"), name, { mtime, mode: 0o100600 });
  zip.end();
  const partial = `${x.path}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o600 }));
    await rename(partial, x.path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return entries.map(([name]) => name);
}
