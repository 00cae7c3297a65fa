// The preview harness as an approver's popup: it signs in as Megan, Adele's requests on every plane
// reach her inbox through the real engine, a notification is recorded with Approve… and Deny… as the
// tray app shows it on Windows and macOS, and clicking it pushes the same app:focus the tray app does.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPreview, type RunningPreview } from "../../electron/preview/preview-server.js";
import { requestsToApprove } from "../../electron/preview/requests-to-approve.js";
import type { Pushes } from "../../electron/shared/ipc-contract.js";
import { startTestEmulator } from "../helpers/emulator.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let preview: RunningPreview;
const configDir = mkdtempSync(join(tmpdir(), "pimtray-preview-approvals-"));

beforeAll(async () => {
  // An emulator that signs in Adele by default: the preview's option makes it Megan.
  emu = await startTestEmulator({ settings: { autoSignIn: "adele" } });
  preview = await startPreview({ emulator: emu, configDir, signInAs: "megan" });
});
afterAll(async () => {
  await preview.close();
  await emu.stop();
  rmSync(configDir, { recursive: true, force: true });
});

/** A channel over the preview's own HTTP bridge, as the page calls it. */
async function rpc(channel: string, payload?: unknown): Promise<{ ok: boolean; value?: any; error?: unknown }> {
  const res = await fetch(new URL("/rpc", preview.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ channel, payload }),
  });
  return (await res.json()) as { ok: boolean; value?: any };
}

async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (pred()) return;
  throw new Error(`timed out waiting for ${what}`);
}

describe("the preview as Megan's popup", () => {
  it("signs in as Megan, fills her inbox from Adele's requests on every plane, and decides one", async () => {
    const signed = await rpc("auth:sign-in", {});
    expect(signed.value?.account?.username).toBe("megan@contoso.example");
    // Off by default: nothing is read, so nothing waits.
    expect(signed.value?.approvals).toMatchObject({ enabled: false, items: [] });

    const asked = await requestsToApprove(emu);
    expect(asked.map((r) => [r.plane, r.status])).toEqual([
      ["group", "PendingApproval"],
      ["role", "PendingApproval"],
      ["azure", "PendingApproval"],
    ]);
    const on = await rpc("approvals:set-enabled", { enabled: true });
    expect(on.ok).toBe(true);
    const inbox = await rpc("approvals:list", {});
    expect(inbox.value.enabled).toBe(true);
    expect(
      (inbox.value.items as Array<{ label: string; requester: { name: string } }>)
        .map((a) => `${a.requester.name}: ${a.label}`)
        .sort(),
    ).toEqual([
      "Adele Vance: Owner on Contoso Production",
      "Adele Vance: Privileged Role Administrator",
      "Adele Vance: Tenant Admins (member)",
    ]);
    const group = (inbox.value.items as Array<{ requestId: string; kind?: string }>).find((a) => !a.kind);
    const decided = await rpc("approvals:decide", {
      kind: "group",
      requestId: group?.requestId,
      decision: "Approve",
      justification: "Checked with Adele",
    });
    expect(decided).toMatchObject({ ok: true, value: { decision: "Approve", requestStatus: expect.any(String) } });
    expect((await rpc("approvals:list", {})).value.items).toHaveLength(2);
  });

  it("records each new request's notification with Approve… and Deny…; a click or a button pushes app:focus on it", async () => {
    await until("three approval notifications", () => preview.notifications.filter((n) => n.approval).length === 3);
    const n = preview.notifications.find((x) => x.approval?.kind === "role");
    if (!n?.approval) throw new Error("no notification for the role request");
    expect(n.title).toBe("Adele Vance asks for Privileged Role Administrator");
    expect(n.actions).toEqual([
      { id: "approve", label: "Approve…" },
      { id: "deny", label: "Deny…" },
    ]);
    const focused: Array<Pushes["app:focus"]> = [];
    const off = preview.controller.onPush((channel, data) => {
      if (channel === "app:focus") focused.push(data as Pushes["app:focus"]);
    });
    try {
      preview.clickNotification(n);
      preview.clickNotification(n, "deny");
      preview.clickNotification(n, "approve");
    } finally {
      off();
    }
    const on = (decision: "Approve" | "Deny" | null) => ({
      groupId: null,
      approval: { kind: "role", requestId: n.approval?.requestId, decision },
    });
    expect(focused).toEqual([on(null), on("Deny"), on("Approve")]);
  });

  it("refuses a demo user the tenant does not have, naming the ones it has", async () => {
    await expect(startPreview({ emulator: emu, signInAs: "mallory" })).rejects.toThrow(
      /^The demo tenant has no user 'mallory'\. Sign in as one of: .*adele.*megan/,
    );
  });
});
