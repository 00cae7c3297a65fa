// Managed policy and Troubleshoot at the controller: what the popup is told (what is locked, the policy's problems,
// the organisation's profiles), what main refuses (a locked setting, an organisation's profile) before anything is
// switched or saved, and the doctor's and the export's channels over the platform.
import { describe, expect, expectTypeOf, it } from "vitest";
import { AppController } from "../../electron/app/app-controller.js";
import { silentLogger as silent } from "../../electron/engine/logger.js";
import { PolicedSettings } from "../../electron/engine/policy/policed-settings.js";
import { readManagedPolicy } from "../../electron/engine/policy/policy-resolver.js";
import type { PolicySource, RawPolicy } from "../../electron/engine/policy/policy-source.js";
import { ProfileService } from "../../electron/engine/profiles/settings-store.js";
import type { DoctorReport as EngineDoctorReport } from "../../electron/engine/diagnostics/types.js";
import type { AppState, DoctorReport } from "../../electron/shared/ipc-contract.js";
import {
  DOCTOR_REPORT,
  engineDouble,
  eligibility,
  lifecycleDouble,
  MemorySettings,
  platformDouble,
} from "./app-doubles.js";
import { G1 } from "./app-state.js";

const TENANT = "contoso.example";
const source = (values: RawPolicy, name = "/etc/pimtray/policy.json"): PolicySource => ({
  name,
  read: async () => ({ values, problems: [] }),
});
const POLICY = {
  TenantId: TENANT,
  TokenCache: "memory",
  SupportContact: "it-help@contoso.example",
  JustificationTemplates: ["Incident response", "Planned change"],
  Profiles: [{ name: "Quarter close", targets: [{ groupId: G1, accessId: "member" }], justification: "Quarter close" }],
};

async function setUp(values: RawPolicy = POLICY, o: Parameters<typeof platformDouble>[0] = {}) {
  const memory = new MemorySettings();
  await memory.update((s) => {
    s.profiles.push({
      id: "mine",
      name: "Mine",
      targets: [{ groupId: G1, accessId: "member" }],
      autoActivate: false,
      keepActive: { enabled: false },
    });
  });
  memory.saves = 0;
  const settings = new PolicedSettings(memory, await readManagedPolicy([source(values)]));
  const e = engineDouble([eligibility(G1, "Finance Admins")], memory);
  // The engine's settings are policed, as engine-wiring.ts builds them for the tray app.
  Object.assign(e.engine, { settings, profiles: new ProfileService(settings) });
  const l = lifecycleDouble();
  const platform = platformDouble(o);
  const c = new AppController(e.engine, l.lifecycle, platform, silent);
  const pushes: string[] = [];
  c.onPush((ch) => pushes.push(ch));
  return { c, memory, platform, pushes };
}

const value = async <T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>) => {
  const r = await p;
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.error)}`);
  return r.value as T;
};

describe("managed policy in the app state", () => {
  it("tells the popup what is locked, the templates, the support contact, and marks the organisation's profiles", async () => {
    const { c } = await setUp();
    const s = await value<AppState>(c.invoke("app:get-state", undefined));
    expect(s.organisation).toEqual({
      problems: [],
      supportContact: "it-help@contoso.example",
      locked: ["connection.tenant", "profiles", "tokenStorage"],
      justificationTemplates: ["Incident response", "Planned change"],
    });
    expect(s.profiles.map((p) => [p.name, p.managed])).toEqual([
      ["Quarter close", true],
      ["Mine", false],
    ]);
  });

  it("names each problem of a bad policy, and applies the rest", async () => {
    const { c } = await setUp({ TenantId: TENANT, TokenCache: "disk", Colour: "blue" });
    const s = await value<AppState>(c.invoke("app:get-state", undefined));
    expect(s.organisation.locked).toEqual(["connection.tenant"]);
    expect(s.organisation.problems).toHaveLength(2);
    expect(s.organisation.problems.join("\n")).toMatch(/TokenCache in \/etc\/pimtray\/policy\.json is ignored/);
    expect(s.organisation.problems.join("\n")).toMatch(/Unknown policy "Colour"/);
  });

  it("without policy: nothing locked, no problems, no profile managed", async () => {
    const { c } = await setUp({});
    const s = await value<AppState>(c.invoke("app:get-state", undefined));
    expect(s.organisation).toEqual({ problems: [], supportContact: null, locked: [], justificationTemplates: [] });
    expect(s.profiles.map((p) => p.managed)).toEqual([false]);
  });
});

describe("main refuses what the organisation set", () => {
  it("refuses to switch a locked token cache before the switch, naming the policy and whom to ask", async () => {
    const { c, memory, platform, pushes } = await setUp();
    const r = await c.invoke("settings:update", { tokenStorage: "encrypted" });
    expect(r).toEqual({
      ok: false,
      error: {
        kind: "usage",
        message:
          "Where tokens are kept: set by your organisation (policy TokenCache, /etc/pimtray/policy.json). To change it, contact it-help@contoso.example. It was not changed.",
      },
    });
    expect(platform.log).toEqual([]);
    expect(memory.saves).toBe(0);
    expect(pushes).toEqual([]);
  });

  it("refuses another tenant, saves nothing, and still saves an unlocked setting sent alone", async () => {
    const { c, memory } = await setUp();
    const r = await c.invoke("settings:update", { tenant: "fabrikam.example" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^The tenant: set by your organisation \(policy TenantId/);
    expect(memory.saves).toBe(0);
    expect(memory.current.connection.tenant).toBe("organizations");
    await value(c.invoke("settings:update", { leadMinutes: [30] }));
    expect(memory.current.notifications.leadMinutes).toEqual([30]);
    // The policy's values are never written into the user's file.
    expect(memory.current.connection.tenant).toBe("organizations");
    expect(memory.current.profiles.map((p) => p.name)).toEqual(["Mine"]);
  });

  it("refuses to edit or delete the organisation's profile; the person's own still can be", async () => {
    const { c, memory } = await setUp();
    const edit = await c.invoke("profiles:save", {
      id: "managed:quarter close",
      name: "Quarter close",
      targets: [{ groupId: G1, accessId: "member" }],
      autoActivate: true,
      keepActive: { enabled: false },
    });
    expect(edit.ok).toBe(false);
    if (!edit.ok)
      expect(edit.error.message).toBe(
        'The profile "Quarter close" is set by your organisation (policy Profiles, /etc/pimtray/policy.json). To change it, contact it-help@contoso.example. It cannot be changed; to change it, save a copy under another name.',
      );
    const del = await c.invoke("profiles:delete", { id: "managed:quarter close" });
    expect(del.ok).toBe(false);
    if (!del.ok) expect(del.error.message).toMatch(/^The profile "Quarter close" is set by your organisation.*deleted/);
    expect(memory.saves).toBe(0);
    const s = await value<AppState>(c.invoke("profiles:delete", { id: "mine" }));
    expect(s.profiles.map((p) => p.name)).toEqual(["Quarter close"]);
    expect(memory.current.profiles).toEqual([]);
  });
});

describe("Troubleshoot's channels", () => {
  it("carry the doctor's report as the engine makes it (the bridge's copy of the type is the same type)", () => {
    expectTypeOf<DoctorReport>().toEqualTypeOf<EngineDoctorReport>();
  });

  it("app:doctor answers the platform's report and pushes nothing", async () => {
    const { c, platform, pushes } = await setUp({});
    expect(await c.invoke("app:doctor", undefined)).toEqual({ ok: true, value: DOCTOR_REPORT });
    expect(await c.invoke("app:doctor", {})).toEqual({ ok: true, value: DOCTOR_REPORT });
    expect(platform.log).toEqual(["doctor", "doctor"]);
    await new Promise((r) => setTimeout(r, 10));
    expect(pushes).toEqual([]);
  });

  it("app:export-diagnostics answers where the zip went, or null when the dialog was cancelled", async () => {
    const saved = await setUp({}, { exportTo: "/home/adele/pimtray-diagnostics.zip" });
    expect(await saved.c.invoke("app:export-diagnostics", undefined)).toEqual({
      ok: true,
      value: { path: "/home/adele/pimtray-diagnostics.zip" },
    });
    const cancelled = await setUp({}, { exportTo: null });
    expect(await cancelled.c.invoke("app:export-diagnostics", undefined)).toEqual({ ok: true, value: { path: null } });
    expect(cancelled.platform.log).toEqual(["export diagnostics"]);
  });

  it("refuses a payload on either channel before the platform is asked", async () => {
    const { c, platform } = await setUp({});
    for (const [channel, payload] of [
      ["app:doctor", { checks: ["proxy"] }],
      ["app:doctor", "all"],
      ["app:export-diagnostics", { path: "/etc/passwd" }],
      ["app:export-diagnostics", []],
    ] as const) {
      const r = await c.invoke(channel, payload);
      expect(r.ok, `${channel} ${JSON.stringify(payload)}`).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/^Invalid request/);
    }
    expect(platform.log).toEqual([]);
  });

  it("a failed export is told in plain words, never as a stack", async () => {
    const { c, platform } = await setUp({});
    platform.exportDiagnostics = async () => {
      throw new Error("EACCES: permission denied, open '/root/x.zip.partial'");
    };
    expect(await c.invoke("app:export-diagnostics", undefined)).toEqual({
      ok: false,
      error: {
        kind: "internal",
        message: "Something went wrong inside PIM Tray. Try again; the details are in the log.",
      },
    });
  });

  it("focus with view troubleshoot pushes it as is", async () => {
    const { c } = await setUp({});
    const pushed: unknown[] = [];
    c.onPush((channel, data) => channel === "app:focus" && pushed.push(data));
    c.focus({ groupId: null, view: "troubleshoot" });
    c.focus({ groupId: G1 });
    expect(pushed).toEqual([{ groupId: null, view: "troubleshoot" }, { groupId: G1 }]);
  });
});
