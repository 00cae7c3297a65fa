// Fault injection, the request log, the control API's own validation, load, and large tenants.
import { PublicClientApplication, ServerError } from "@azure/msal-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G, DEMO_USERS as U } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { activationBody, PIM, RawClient } from "../helpers/graph-client.js";
import { emulatorNetworkClient } from "../helpers/msal-network.js";
import { GRAPH_CLI_CLIENT_ID, PIM_SCOPES, signIn } from "../helpers/tokens.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let adele: RawClient;
let token: string;
const LIST = `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`;

beforeAll(async () => {
  emu = await startTestEmulator();
  token = (await signIn(emu, "adele")).accessToken;
  adele = new RawClient(emu.origin, emu.caPem, token);
});
afterAll(async () => {
  await adele.close();
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.clearFaults();
  await emu.control.clearRequests();
  emu.emulator.pim.requests.clear();
  emu.emulator.pim.instances.clear();
  await emu.control.configure({ provisioningDelayMs: 0 });
});

describe("fault injection", () => {
  it("answers 429 with Retry-After for the next N requests, in Graph's envelope, then recovers", async () => {
    await emu.control.addFaults([{ kind: "status", status: 429, retryAfter: 2, count: 2 }]);
    const a = await adele.get(LIST);
    const b = await adele.get(LIST);
    const c = await adele.get(LIST);
    expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
    expect(a.headers["retry-after"]).toBe("2");
    expect(a.json.error.code).toBe("TooManyRequests");
    const log = await emu.control.requests();
    expect(log.map((e) => [e.status, e.fault])).toEqual([
      [429, "status"],
      [429, "status"],
      [200, null],
    ]);
  });

  it("limits a fault to a path and method", async () => {
    await emu.control.addFaults([
      { kind: "status", status: 503, path: "/assignmentScheduleRequests", method: "POST", count: 1 },
    ]);
    expect((await adele.get(LIST)).status).toBe(200);
    const post = await adele.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins));
    expect(post.status).toBe(503);
    expect(post.json.error.code).toBe("ServiceNotAvailable");
    expect(await emu.control.pimRequests()).toHaveLength(0); // the failed POST had no effect
    expect(
      (await adele.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins))).status,
    ).toBe(201);
  });

  it("applies a share of requests when a ratio is given", async () => {
    await emu.control.addFaults([{ kind: "status", status: 500, ratio: 0.5 }]);
    const statuses = await Promise.all(Array.from({ length: 200 }, () => adele.get(LIST).then((r) => r.status)));
    const failed = statuses.filter((s) => s === 500).length;
    // 200 draws at p=0.5: outside 60..140 has probability below 1e-8.
    expect(failed).toBeGreaterThan(60);
    expect(failed).toBeLessThan(140);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
  });

  it("adds latency", async () => {
    await emu.control.addFaults([{ kind: "latency", minMs: 300, maxMs: 400, count: 1 }]);
    const t0 = Date.now();
    await adele.get(LIST);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
  });

  it("drops the connection before processing: the POST has no effect", async () => {
    await emu.control.addFaults([{ kind: "drop", path: "/assignmentScheduleRequests", count: 1 }]);
    await expect(
      adele.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins)),
    ).rejects.toThrow();
    expect(await emu.control.pimRequests()).toHaveLength(0);
  });

  it("drops the connection after processing: the client sees an error but the request exists", async () => {
    await emu.control.addFaults([
      { kind: "drop", after: true, path: "/assignmentScheduleRequests", method: "POST", count: 1 },
    ]);
    await expect(
      adele.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins)),
    ).rejects.toThrow();
    const created = await emu.control.pimRequests();
    expect(created).toHaveLength(1);
    expect(created[0]?.status).toBe("Provisioned");
    const log = await emu.control.requests();
    expect(log.at(-1)).toMatchObject({ method: "POST", status: 0, fault: "drop" });
  });

  it("fails the token endpoint in Entra's format, and MSAL surfaces it", async () => {
    await emu.control.addFaults([{ kind: "status", status: 503, path: "/oauth2/v2.0/token", count: 1 }]);
    await emu.control.configure({ deviceCodeAutoApprove: "adele", deviceCodeIntervalSeconds: 0 });
    const network = emulatorNetworkClient(emu.caPem);
    const pca = new PublicClientApplication({
      auth: { clientId: GRAPH_CLI_CLIENT_ID, authority: emu.authority, knownAuthorities: [new URL(emu.origin).host] },
      system: { networkClient: network },
    });
    const err = await pca
      .acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined })
      .catch((e: unknown) => e);
    await network.close();
    expect(err).toBeInstanceOf(Error);
    const log = await emu.control.requests();
    const tokenCall = log.find((e) => e.path.endsWith("/token"));
    expect(tokenCall?.status).toBe(503);
    expect(err instanceof ServerError || (err as { errorCode?: string }).errorCode === "post_request_failed").toBe(
      true,
    );
  });

  it("lists and clears rules", async () => {
    await emu.control.addFaults([{ kind: "status", status: 429, count: 5, path: "/v1.0" }]);
    expect((await emu.control.listFaults()).rules).toEqual([
      expect.objectContaining({ kind: "status", status: 429, remaining: 5 }),
    ]);
    await emu.control.clearFaults();
    expect((await emu.control.listFaults()).rules).toEqual([]);
    expect((await adele.get(LIST)).status).toBe(200);
  });
});

describe("request log", () => {
  it("records method, path, query, headers and body, with secrets removed", async () => {
    await adele.post(`${PIM}/assignmentScheduleRequests`, activationBody(U.adele, G.financeAdmins), {
      "client-request-id": "log-test-1",
    });
    const entries = await emu.control.requests();
    const post = entries.find((e) => e.method === "POST");
    expect(post).toMatchObject({ path: `${PIM}/assignmentScheduleRequests`, status: 201 });
    expect(post?.headers["client-request-id"]).toBe("log-test-1");
    expect(post?.headers.authorization).toBe("Bearer [redacted]");
    expect((post?.body as { groupId: string }).groupId).toBe(G.financeAdmins);
    await signIn(emu, "megan");
    const text = JSON.stringify(await emu.control.requests());
    expect(text).not.toContain(token);
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/); // no JWT of any kind
  });

  it("returns entries after a sequence number", async () => {
    await adele.get(LIST);
    const first = await emu.control.requests();
    await adele.get(LIST);
    const later = await emu.control.requests(first.at(-1)?.seq ?? 0);
    expect(later).toHaveLength(1);
  });
});

describe("control API", () => {
  it("rejects bad bodies with a message naming the field", async () => {
    const c = new RawClient(emu.origin, emu.caPem);
    const res = await c.post("/_emulator/faults", { rules: [{ kind: "status", status: 99 }] });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("rules.0.status");
    const unknown = await c.request("PATCH", "/_emulator/settings", { provisioningDelay: 5 });
    expect(unknown.status).toBe(400);
    const back = await c.post("/_emulator/clock", { advanceMs: -5 });
    expect(back.status).toBe(400);
    const missing = await c.post("/_emulator/pim/requests/nope/approve", {});
    expect(missing.status).toBe(404);
    await c.close();
  });
});

describe("load", () => {
  it("serves 200 concurrent requests over separate connections with no errors", async () => {
    const clients = Array.from({ length: 200 }, () => new RawClient(emu.origin, emu.caPem, token));
    const results = await Promise.all(clients.map((c) => c.get(LIST)));
    await Promise.all(clients.map((c) => c.close()));
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(new Set(results.map((r) => r.json.value.length)).size).toBe(1);
  });
});

describe("large tenants", () => {
  it("generates 2,000 eligible groups deterministically, and pages through them", async () => {
    const big = await startTestEmulator({ seed: { kind: "large", groups: 2000 } });
    try {
      const c = new RawClient(big.origin, big.caPem, (await signIn(big, "adele")).accessToken);
      let url: string | undefined =
        `${PIM}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=group($select=displayName)`;
      const ids = new Set<string>();
      let pages = 0;
      while (url) {
        const page = await c.get(url);
        for (const v of page.json.value) ids.add(v.id);
        url = page.json["@odata.nextLink"];
        pages++;
      }
      await c.close();
      expect(ids.size).toBe(2000 + 11); // the demo tenant's current eligibilities plus the generated ones
      expect(pages).toBe(Math.ceil(ids.size / 100));
      const again = await startTestEmulator({ seed: { kind: "large", groups: 2000 } });
      expect(again.emulator.pim.tenant.groups.map((g) => g.id)).toEqual(
        big.emulator.pim.tenant.groups.map((g) => g.id),
      );
      await again.stop();
    } finally {
      await big.stop();
    }
  });
});
