// Both Graph planes' requests in one $batch (planes/graph-together.ts), with a token that carries both planes'
// permissions; without such a token (one plane's consent missing, or a token that reaches one plane only) each
// plane is read on its own, as before. Against the emulator over HTTPS, with the real MSAL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../electron/engine/engine.js";
import { ConsentRequiredError } from "../../../electron/engine/errors.js";
import { GraphClient, type TokenSource } from "../../../electron/engine/graph/graph-client.js";
import { HttpClient } from "../../../electron/engine/http/http-client.js";
import { silentLogger } from "../../../electron/engine/logger.js";
import { Planes } from "../../../electron/engine/planes/planes.js";
import { DEMO_GROUPS } from "../../../emulator/index.js";
import { DEMO_ROLES } from "../../../emulator/roles/seed.js";
import { startTestEmulator } from "../../helpers/emulator.js";
import { engineAgainst } from "../../helpers/engine.js";

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let engine: Engine;
let dir: string;

beforeAll(async () => {
  emu = await startTestEmulator();
  dir = mkdtempSync(join(tmpdir(), "pimtray-together-"));
  engine = await engineAgainst(emu, dir);
  // A request on each plane, so that both lists have something to show.
  const why = { durationMs: 3600_000, justification: "together test" };
  await engine.activation.activate(
    { target: { kind: "role", roleDefinitionId: DEMO_ROLES.globalReader, directoryScopeId: "/" }, ...why },
    { waitFor: "none" },
  );
  await engine.activation.activate(
    { target: { groupId: DEMO_GROUPS.helpdesk, accessId: "member" }, ...why, ticket: { system: "SN", number: "1" } },
    { waitFor: "none" },
  );
});
afterAll(async () => {
  await emu.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A Graph client over the engine's account, with a token for these scopes, asked silently. */
function client(tokens: TokenSource): GraphClient {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  const http = new HttpClient((url, init) => undiciFetch(url, { ...init, dispatcher }));
  return new GraphClient(http, engine.connection.graphBaseUrl, tokens, silentLogger);
}
const silently = (scopes: string[]): TokenSource => ({
  getAccessToken: (r = {}) => engine.auth.getAccessToken({ ...r, scopes, silent: true }),
});
const planesWith = (graphTogether: GraphClient) =>
  new Planes(engine.planes.clients, { enabled: Planes.allOn, logger: silentLogger, graphTogether });
const graphSent = (seq: number) =>
  emu.emulator.log
    .since(seq)
    .filter((r) => r.path.startsWith("/v1.0/"))
    .map((r) => `${r.method} ${r.path}`);

/** Each plane's list read on its own: what the batch must agree with. */
async function eachAlone() {
  return new Map([
    ["group", { ok: true, list: await engine.planes.for("group").myRequests() }],
    ["role", { ok: true, list: await engine.planes.for("role").myRequests() }],
  ]);
}

describe("both Graph planes' requests together", () => {
  // First: once a token for both planes is in MSAL's cache, it answers a request for the groups' scopes too.
  it("with a token that reaches the groups only: the roles are read on their own, and from then on each plane", async () => {
    const planes = planesWith(client(silently(engine.connection.planeScopes.group)));
    const seq = emu.emulator.log.lastSeq;
    const both = await planes.graphRequestsTogether();
    // The batch (the roles refused inside it), then the roles' own read with their own token.
    expect(graphSent(seq)).toEqual([
      "POST /v1.0/$batch",
      "GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')",
    ]);
    expect(both).toEqual(await eachAlone());
    expect(planes.readsGraphTogether()).toBe(false);
  });

  it("with a token for both planes: one $batch, the same lists as two reads", async () => {
    const { group, role } = engine.connection.planeScopes;
    const planes = planesWith(client(silently([...group, ...role])));
    expect(planes.readsGraphTogether()).toBe(true);
    const seq = emu.emulator.log.lastSeq;
    const both = await planes.graphRequestsTogether();
    expect(graphSent(seq)).toEqual(["POST /v1.0/$batch"]);
    const alone = await eachAlone();
    expect(both).toEqual(alone);
    expect(alone.get("group")?.list.length).toBeGreaterThan(0);
    expect(alone.get("role")?.list.length).toBeGreaterThan(0);
  });

  it("when no token for both can be had (one plane's consent missing): each plane on its own, nothing prompted", async () => {
    const refused: TokenSource = {
      getAccessToken: () =>
        Promise.reject(
          new ConsentRequiredError("consent missing", {
            adminConsentUrl: "https://login.example/adminconsent",
            clientId: "client",
            tenant: "tenant",
            scopes: ["RoleAssignmentSchedule.ReadWrite.Directory"],
            docs: "docs/cli.md",
          }),
        ),
    };
    const planes = planesWith(client(refused));
    const seq = emu.emulator.log.lastSeq;
    const both = await planes.graphRequestsTogether();
    expect(graphSent(seq).sort()).toEqual([
      "GET /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/filterByCurrentUser(on='principal')",
      "GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')",
    ]);
    expect(both).toEqual(await eachAlone());
    expect(planes.readsGraphTogether()).toBe(false);
  });

  it("without such a client the engine reads each plane on its own", () => {
    expect(
      new Planes(engine.planes.clients, { enabled: Planes.allOn, logger: silentLogger }).readsGraphTogether(),
    ).toBe(false);
  });
});
