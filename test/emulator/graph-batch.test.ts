// Graph's JSON batching in the emulator, as a client written from Microsoft's documentation sees it: up to 20
// requests in one round trip, each answered with its own status and body.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { RawClient } from "../helpers/graph-client.js";
import { PIM_SCOPES, signIn } from "../helpers/tokens.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let adele: RawClient;

beforeAll(async () => {
  emu = await startTestEmulator();
  adele = new RawClient(emu.origin, emu.caPem, (await signIn(emu, "adele", PIM_SCOPES)).accessToken);
});
afterAll(async () => {
  await adele.close();
  await emu.stop();
});

const policyUrl = (groupId: string) =>
  `/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group' and roleDefinitionId eq 'member'&$expand=policy($expand=rules)`;

describe("$batch", () => {
  it("answers each request with its own id, status and body, in one round trip", async () => {
    const res = await adele.request("POST", "/v1.0/$batch", {
      requests: [
        { id: "1", method: "GET", url: policyUrl(G.financeAdmins) },
        { id: "2", method: "GET", url: "/identityGovernance/privilegedAccess/group/nothingHere" },
        { id: "3", method: "GET", url: encodeURI(policyUrl(G.helpdesk)) },
      ],
    });
    expect(res.status).toBe(200);
    const byId = new Map(
      (res.json.responses as Array<{ id: string; status: number; body: any }>).map((r) => [r.id, r]),
    );
    expect(byId.get("1")?.status).toBe(200);
    expect(byId.get("1")?.body.value[0].policy.rules.length).toBeGreaterThan(0);
    expect(byId.get("2")?.status).toBe(400);
    expect(byId.get("2")?.body.error.code).toBe("BadRequest");
    // Encoded or not, the same query reaches the same route.
    expect(byId.get("3")?.status).toBe(200);
    expect(byId.get("3")?.body.value[0].scopeId).toBe(G.helpdesk);
  });

  it("refuses more than 20 requests, repeated ids, a batch inside a batch and absolute urls", async () => {
    const get = (id: string, url = "/me") => ({ id, method: "GET", url });
    const tooMany = await adele.request("POST", "/v1.0/$batch", {
      requests: Array.from({ length: 21 }, (_, i) => get(String(i))),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.message).toMatch(/exceeds 20/);
    const repeated = await adele.request("POST", "/v1.0/$batch", { requests: [get("a"), get("a")] });
    expect(repeated.status).toBe(400);
    const nested = await adele.request("POST", "/v1.0/$batch", { requests: [get("a", "/$batch")] });
    expect(nested.status).toBe(400);
    const absolute = await adele.request("POST", "/v1.0/$batch", {
      requests: [get("a", "https://graph.microsoft.com/v1.0/me")],
    });
    expect(absolute.status).toBe(400);
  });

  it("needs a token, as every Graph call does", async () => {
    const anonymous = new RawClient(emu.origin, emu.caPem, null);
    try {
      const res = await anonymous.request("POST", "/v1.0/$batch", {
        requests: [{ id: "1", method: "GET", url: "/me" }],
      });
      expect(res.status).toBe(401);
    } finally {
      await anonymous.close();
    }
  });

  it("throttles inside the batch: the batch answers 200 and the throttled request 429 with its Retry-After", async () => {
    emu.emulator.faults.add([
      { kind: "status", status: 429, retryAfter: 3, path: "roleManagementPolicyAssignments", count: 1 },
    ]);
    const res = await adele.request("POST", "/v1.0/$batch", {
      requests: [
        { id: "1", method: "GET", url: policyUrl(G.financeAdmins) },
        { id: "2", method: "GET", url: policyUrl(G.helpdesk) },
      ],
    });
    expect(res.status).toBe(200);
    const [first, second] = res.json.responses as Array<{ status: number; headers: Record<string, string> }>;
    expect(first?.status).toBe(429);
    expect(first?.headers["retry-after"]).toBe("3");
    expect(second?.status).toBe(200);
  });

  it("a latency rule for a request inside the batch delays the batch's answer", async () => {
    emu.emulator.faults.clear();
    emu.emulator.faults.add([{ kind: "latency", minMs: 400, path: "roleManagementPolicyAssignments", count: 1 }]);
    const started = Date.now();
    const res = await adele.request("POST", "/v1.0/$batch", {
      requests: [{ id: "1", method: "GET", url: policyUrl(G.financeAdmins) }],
    });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    // Used up by the batch's request: the rule is gone.
    expect(emu.emulator.faults.list()).toEqual([]);
  });
});
