// The preview's managed policy and Troubleshoot, without a browser: policy sources given to startPreview reach the
// app state and the doctor's policy check, the doctor's network checks really reach the emulator, and the export
// writes a real zip where the save dialog said (nothing when it was cancelled).
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicySource } from "../../electron/engine/policy/policy-source.js";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import type { AppState, DoctorReport, ExportView } from "../../electron/shared/ipc-contract.js";
import { readZip } from "../engine/diagnostics/read-zip.js";
import { startTestEmulator } from "../helpers/emulator.js";

const SOURCE = "HKLM\\SOFTWARE\\Policies\\PIMTray (test)";
const source: PolicySource = {
  name: SOURCE,
  read: async () => ({
    values: { ApprovalsEnabled: false, SupportContact: "it-help@contoso.example", Shade: "teal" },
    problems: [],
  }),
};

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let preview: RunningPreview;
const out = mkdtempSync(join(tmpdir(), "pimtray-preview-export-"));
let saveAs: string | null = join(out, "d.zip");

beforeAll(async () => {
  emu = await startTestEmulator({ settings: { autoSignIn: "adele" } });
  preview = await startPreview({ emulator: emu, policy: [source], saveDiagnosticsAs: async () => saveAs });
});
afterAll(async () => {
  await preview.close();
  await emu.stop();
});

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const r = await preview.controller.invoke(channel, payload);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

describe("the preview with managed policy", () => {
  it("tells the popup what the given sources lock, and their problems", async () => {
    const s = await call<AppState>("app:get-state");
    expect(s.organisation.locked).toEqual(["approvals.enabled"]);
    expect(s.organisation.supportContact).toBe("it-help@contoso.example");
    expect(s.organisation.problems).toEqual([
      `Unknown policy "Shade" in ${SOURCE} is ignored: PIM Tray has no policy by that name (the names are listed in docs/deployment.md).`,
    ]);
    const refused = await preview.controller.invoke("approvals:set-enabled", { enabled: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain("set by your organisation (policy ApprovalsEnabled");
  });

  it("runs the real doctor against the emulator: reached endpoints, the policy's source and problem", async () => {
    const r = await call<DoctorReport>("app:doctor");
    const byId = new Map(r.checks.map((c) => [c.id, c]));
    expect(byId.get("reach.graph")?.status).toBe("ok");
    expect(byId.get("reach.signin")?.status).toBe("ok");
    expect(byId.get("token-cache")?.detail).toMatch(/memory/i);
    const policy = byId.get("policy");
    expect(policy?.detail).toContain(SOURCE);
    expect(JSON.stringify(policy)).toContain("Shade");
    expect(preview.platform.doctorRuns).toBe(1);
  });

  it("exports a zip where the save dialog said, and writes nothing when it was cancelled", async () => {
    expect(await call<ExportView>("app:export-diagnostics")).toEqual({ path: join(out, "d.zip") });
    const zip = readZip(join(out, "d.zip"));
    expect([...zip.keys()]).toEqual(["README.txt", "doctor.txt", "doctor.json", "settings.json", "policy.json"]);
    const policy = JSON.parse(zip.get("policy.json") ?? "{}") as {
      sources: Array<{ name: string; state: string; keys: string[] }>;
    };
    expect(policy.sources).toEqual([{ name: SOURCE, state: "applied", keys: ["ApprovalsEnabled", "SupportContact"] }]);
    saveAs = null;
    expect(await call<ExportView>("app:export-diagnostics")).toEqual({ path: null });
    expect(readdirSync(out)).toEqual(["d.zip"]);
    expect(existsSync(join(out, "d.zip.partial"))).toBe(false);
  });
});
