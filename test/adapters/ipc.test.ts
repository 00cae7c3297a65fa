// IPC: the sender check, channel registration, payload validation and the external-link allow-list.
import { describe, expect, it, vi } from "vitest";
import { isTrustedSender, registerIpc, type IpcEventLike } from "../../electron/adapters/ipc.js";
import { validateRequest } from "../../electron/shared/ipc-contract.js";
import { EXTERNAL_URLS, isAllowedExternal } from "../../electron/app/handlers/shell.js";

const G1 = "6c03b013-0950-5d62-8881-e9fee6d96c8a";

describe("IPC", () => {
  const ev = (id: number, url: string, parent: unknown = null): IpcEventLike => ({
    sender: { id },
    senderFrame: { url, parent },
  });

  it("accepts only our window's main frame on our origin", () => {
    expect(isTrustedSender(ev(7, "app://pimtray/index.html"), 7, "app://pimtray")).toBeNull();
    expect(isTrustedSender(ev(8, "app://pimtray/index.html"), 7, "app://pimtray")).toBe("not our window");
    expect(isTrustedSender(ev(7, "app://pimtray/index.html", {}), 7, "app://pimtray")).toBe("not the main frame");
    expect(isTrustedSender(ev(7, "https://evil.example/"), 7, "app://pimtray")).toBe(
      "foreign origin https://evil.example",
    );
    expect(isTrustedSender(ev(7, "app://pimtray/"), null, "app://pimtray")).toBe("not our window");
  });

  it("registers every channel; a refused sender never reaches the controller", async () => {
    const handlers = new Map<string, (e: IpcEventLike, p: unknown) => Promise<unknown>>();
    const invoke = vi.fn(async () => ({ ok: true as const, value: null }));
    const rejected: string[] = [];
    registerIpc({
      ipcMain: { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) },
      invoke,
      windowContentsId: () => 7,
      origin: "app://pimtray",
      onRejected: (c, why) => rejected.push(`${c}: ${why}`),
    });
    expect(handlers.has("pim:activate")).toBe(true);
    expect(await handlers.get("pim:cancel")?.(ev(9, "app://pimtray/"), { requestId: "x" })).toMatchObject({
      ok: false,
      error: { kind: "usage" },
    });
    expect(invoke).not.toHaveBeenCalled();
    expect(rejected).toEqual(["pim:cancel: not our window"]);
    await handlers.get("app:get-state")?.(ev(7, "app://pimtray/index.html"), undefined);
    expect(invoke).toHaveBeenCalledWith("app:get-state", undefined);
  });

  it("rejects bad payloads with a message naming the field", () => {
    expect(validateRequest("pim:activate", { groupId: "nope", accessId: "member", durationMinutes: 60 })).toEqual({
      ok: false,
      message: "Invalid request at 'groupId': must be an id (GUID).",
    });
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "admin", durationMinutes: 60 }).ok).toBe(false);
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 2 }).ok).toBe(false);
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 60, extra: 1 }).ok).toBe(
      false,
    );
    expect(validateRequest("pim:activate", { groupId: G1, accessId: "member", durationMinutes: 60 }).ok).toBe(true);
  });

  it("takes a target on any plane, by the settings file's rules, and exactly one way of naming it", () => {
    const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    const SUB = "/subscriptions/4f1e7c3a-8d2b-4c5e-9a1f-2b3c4d5e6f70";
    const CONTRIBUTOR = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
    const role = { kind: "role", roleDefinitionId: GLOBAL_READER, directoryScopeId: "/" };
    const azure = { kind: "azure", roleDefinitionId: CONTRIBUTOR, scope: `${SUB}/resourceGroups/rg-web` };
    for (const target of [role, azure, { groupId: G1, accessId: "member" }])
      expect(validateRequest("pim:activate", { target, durationMinutes: 60 }).ok, JSON.stringify(target)).toBe(true);
    expect(validateRequest("pim:deactivate", { target: azure }).ok).toBe(true);
    // Both ways at once, or neither, is refused.
    expect(
      validateRequest("pim:activate", { target: role, groupId: G1, accessId: "member", durationMinutes: 60 }),
    ).toEqual({
      ok: false,
      message: "Invalid request: name either a group (groupId and accessId) or a target, not both.",
    });
    expect(validateRequest("pim:deactivate", {}).ok).toBe(false);
    // The same rules as a profile's targets: a directory scope, an ARM scope, a full ARM role id; no extra fields.
    expect(validateRequest("pim:deactivate", { target: { ...role, directoryScopeId: "/users/x" } })).toMatchObject({
      ok: false,
      message: expect.stringContaining("'target.directoryScopeId'"),
    });
    expect(validateRequest("pim:deactivate", { target: { ...azure, scope: "/tenants/x" } })).toMatchObject({
      ok: false,
      message: expect.stringContaining("'target.scope'"),
    });
    expect(validateRequest("pim:deactivate", { target: { ...azure, roleDefinitionId: "b24988ac" } }).ok).toBe(false);
    expect(validateRequest("pim:deactivate", { target: { ...role, extra: 1 } }).ok).toBe(false);
    expect(validateRequest("pim:deactivate", { target: { ...role, kind: "admin" } }).ok).toBe(false);
    // Cancel: Graph's GUID or an Azure request's ARM id, nothing else.
    const armRequest = `${SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${G1}`;
    expect(validateRequest("pim:cancel", { requestId: armRequest }).ok).toBe(true);
    expect(validateRequest("pim:cancel", { requestId: `${SUB}/providers/Microsoft.Web/sites/x` }).ok).toBe(false);
    expect(validateRequest("pim:azure-scopes", { scope: SUB }).ok).toBe(true);
    expect(validateRequest("pim:azure-scopes", { scope: "https://evil.example/" }).ok).toBe(false);
    expect(validateRequest("auth:turn-on-plane", { plane: "azure" }).ok).toBe(true);
    expect(validateRequest("auth:turn-on-plane", { plane: "group" }).ok).toBe(false);
    expect(validateRequest("settings:update", { planes: { azure: false } }).ok).toBe(true);
    expect(validateRequest("settings:update", { planes: { arm: false } }).ok).toBe(false);
  });

  it("opens only the exact pages on its list, not anything on an allowed host", () => {
    for (const url of EXTERNAL_URLS) expect(isAllowedExternal(url)).toBe(true);
    const page = EXTERNAL_URLS[0] ?? "";
    // Anyone can publish under github.com or make an aka.ms link point anywhere.
    expect(isAllowedExternal("https://github.com/attacker/phish")).toBe(false);
    expect(isAllowedExternal("https://aka.ms/anything")).toBe(false);
    expect(isAllowedExternal("https://learn.microsoft.com/entra/id-governance/")).toBe(false);
    expect(isAllowedExternal(`${page}?redirect=https://evil.example/`)).toBe(false);
    expect(isAllowedExternal(page.replace("https://", "https://user:pw@"))).toBe(false);
    expect(isAllowedExternal(page.replace("https:", "http:"))).toBe(false);
    expect(isAllowedExternal(page.toUpperCase())).toBe(false);
    expect(isAllowedExternal("file:///etc/passwd")).toBe(false);
  });
});
