// The engine on a bad network, driven through `pimtray` against the emulator's fault injection.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CliHarness, endCliSuite, POST_REQUESTS, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 200 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(() => resetPim(emu));

const postsIn = (log: Awaited<ReturnType<typeof emu.control.requests>>) =>
  log.filter((e) => e.method === "POST" && e.path === POST_REQUESTS);

describe("throttling", () => {
  it("survives a 429 storm with Retry-After, and honours the waits", async () => {
    await emu.control.addFaults([
      { kind: "status", status: 429, retryAfter: 1, count: 3, path: "/assignmentScheduleRequests", method: "POST" },
      { kind: "status", status: 429, retryAfter: 1, count: 2, path: "/policies/" },
    ]);
    const r = await cli.json(["activate", "Finance Admins", "--justification", "x"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("active");
    const log = await emu.control.requests();
    const posts = postsIn(log);
    expect(posts.map((p) => p.status)).toEqual([429, 429, 429, 201]);
    for (let i = 1; i < posts.length; i++) {
      const gap = (posts[i]?.time ?? 0) - ((posts[i - 1]?.time ?? 0) + (posts[i - 1]?.durationMs ?? 0));
      expect(gap).toBeGreaterThanOrEqual(950); // Retry-After: 1 was honoured
    }
    expect(await emu.control.pimRequests()).toHaveLength(1);
  });
});

describe("server errors and dropped connections", () => {
  it("recovers from 5xx on reads", async () => {
    await emu.control.addFaults([
      { kind: "status", status: 502, count: 2, path: "/eligibilityScheduleInstances" },
      { kind: "status", status: 504, count: 1, path: "/assignmentScheduleRequests/", method: "GET" },
    ]);
    const r = await cli.json(["activate", "Finance Admins", "--justification", "x"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("active");
  });

  it("never repeats a POST blindly on a 500: it reports the failure without a duplicate", async () => {
    await emu.control.addFaults([
      { kind: "status", status: 500, count: 1, path: "/assignmentScheduleRequests", method: "POST" },
    ]);
    const r = await cli.run(["activate", "Finance Admins", "--justification", "x"]);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain("Try again in a moment");
    expect(postsIn(await emu.control.requests())).toHaveLength(1);
  });

  it("after a dropped answer to the POST, finds the request instead of submitting again", async () => {
    await emu.control.addFaults([
      { kind: "drop", after: true, count: 1, path: "/assignmentScheduleRequests", method: "POST" },
    ]);
    const r = await cli.json(["activate", "Finance Admins", "--justification", "x"]);
    expect(r.code).toBe(0);
    expect(r.body.outcomes[0].status).toBe("active");
    expect(postsIn(await emu.control.requests())).toHaveLength(1); // the dropped one; no second POST
    expect(await emu.control.pimRequests()).toHaveLength(1);
  });

  it("after a connection dropped before the server acted, submits once more", async () => {
    await emu.control.addFaults([{ kind: "drop", count: 1, path: "/assignmentScheduleRequests", method: "POST" }]);
    const r = await cli.json(["activate", "Finance Admins", "--justification", "x"]);
    expect(r.code).toBe(0);
    expect(postsIn(await emu.control.requests()).map((p) => p.status)).toEqual([0, 201]);
    expect(await emu.control.pimRequests()).toHaveLength(1);
  });
});

describe("tokens", () => {
  it("refreshes an expired access token, and rides out a failing token endpoint", async () => {
    await emu.control.advanceClock(2 * 3600_000); // the cached token is now expired for Graph
    await emu.control.addFaults([{ kind: "status", status: 503, retryAfter: 1, count: 1, path: "/oauth2/v2.0/token" }]);
    const r = await cli.json(["status"]);
    expect(r.code).toBe(0);
    const log = await emu.control.requests();
    expect(log.some((e) => e.status === 401 && e.path.startsWith("/v1.0/"))).toBe(true);
    // Every plane refreshes its own token; the one failure, whichever plane met it, was ridden out.
    const tokenCalls = log.filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
    expect(tokenCalls.filter((e) => e.status === 503)).toHaveLength(1);
    const scopeOf = (e: (typeof tokenCalls)[number]) => String((e.body as Record<string, string>).scope);
    for (const scope of new Set(tokenCalls.map(scopeOf)))
      expect(tokenCalls.filter((e) => scopeOf(e) === scope).at(-1)?.status, scope).toBe(200);
    const groups = tokenCalls.filter((e) => String((e.body as Record<string, string>).scope).includes("AzureADGroup"));
    expect(groups.at(-1)?.status).toBe(200);
    expect((groups.at(-1)?.body as Record<string, string>).grant_type).toBe("refresh_token");
  });

  it("when the refresh token is refused: prompts again, or with --no-interactive exits 3 saying to sign in", async () => {
    const other = new CliHarness(emu);
    await other.login("megan");
    emu.emulator.identity.reset(); // the emulator forgets every session: refresh tokens are now invalid
    await emu.control.advanceClock(2 * 3600_000);
    try {
      const scripted = await other.run(["status", "--no-interactive"]);
      expect(scripted.code).toBe(3);
      expect(scripted.stderr).toContain("Your sign-in has expired. Sign in again.");
      const person = await other.run(["status"]); // device code again, approved for Megan by the emulator
      expect(person.code).toBe(0);
      expect(person.stderr).toContain("enter the code");
    } finally {
      cli.transcript.push(...other.transcript);
      other.cleanup();
      await cli.login(); // Adele's session was reset too
    }
  });
});

describe("continuous access evaluation", () => {
  it("answers a 401 insufficient_claims challenge with the claims, then retries", async () => {
    await new Promise((r) => setTimeout(r, 1100)); // revocation is in whole seconds
    await emu.control.revokeSessions("adele");
    const r = await cli.json(["status"]);
    expect(r.code).toBe(0);
    const log = await emu.control.requests();
    expect(log.some((e) => e.status === 401 && e.path.startsWith("/v1.0/"))).toBe(true);
    const refresh = log.find(
      (e) =>
        e.path.endsWith("/oauth2/v2.0/token") &&
        String((e.body as Record<string, string>).scope).includes("AzureADGroup"),
    );
    expect(String((refresh?.body as Record<string, string>).claims)).toContain('"nbf"');
    emu.emulator.caeRevokedAt.clear();
  });
});

describe("paging and names", () => {
  it("follows every page, and falls back to ids when $expand=group comes back empty", async () => {
    await emu.control.configure({ pageSize: 2, emptyGroupExpansion: true });
    try {
      // The groups plane's paging (eligible lists every plane by default).
      const r = await cli.json(["eligible", "--kind", "group"]);
      expect(r.code).toBe(0);
      expect(r.body.eligibilities).toHaveLength(11);
      // Without a group-read scope the /groups fallback is refused, so names are the ids.
      expect(r.body.eligibilities.every((e: { groupName: string; groupId: string }) => e.groupName === e.groupId)).toBe(
        true,
      );
      expect((await emu.control.requests()).some((e) => e.path === "/v1.0/groups" && e.status === 403)).toBe(true);
    } finally {
      await emu.control.configure({ pageSize: 100, emptyGroupExpansion: false });
    }
  });
});

describe("killed mid-way", () => {
  it("a CLI killed right after submitting: status shows it, and a rerun creates no second request", async () => {
    // Slow the polling so the CLI is surely still running after its POST.
    await emu.control.addFaults([
      { kind: "latency", minMs: 3000, path: "/assignmentScheduleRequests/", method: "GET" },
    ]);
    await emu.control.configure({ provisioningDelayMs: 0 });
    const child = cli.spawn(["activate", "Finance Admins", "--justification", "x"]);
    for (let i = 0; i < 200 && postsIn(await emu.control.requests()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    child.kill("SIGKILL");
    await child.result;
    await emu.control.clearFaults();
    const status = await cli.json(["status"]);
    expect(status.body.active.map((a: { groupName: string }) => a.groupName)).toEqual(["Finance Admins"]);
    const again = await cli.json(["activate", "Finance Admins", "--justification", "x"]);
    expect(again.code).toBe(0);
    expect(again.body.outcomes[0].status).toBe("already-active");
    expect(await emu.control.pimRequests()).toHaveLength(1);
    await emu.control.configure({ provisioningDelayMs: 200 });
  });
});
