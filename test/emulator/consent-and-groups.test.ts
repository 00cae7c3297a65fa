// The emulator models a tenant that has not consented to a client (AADSTS65001), with Entra's real
// error shapes, and returns what tells same-named groups apart. Real MSAL over HTTPS.
import { InteractionRequiredAuthError, PublicClientApplication, ServerError } from "@azure/msal-node";
import { Agent, fetch } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { followSignInPage } from "../../electron/node/demo-sign-in.js";
import { DEMO_GROUPS } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { emulatorNetworkClient } from "../helpers/msal-network.js";
import { PIM_SCOPES } from "../helpers/tokens.js";

const GRAPH_CLI_CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const OWN_CLIENT = "0b1c2d3e-4f50-4617-8899-aabbccddeeff";

function newPca(e: typeof emu, n: typeof network, clientId: string) {
  return new PublicClientApplication({
    auth: { clientId, authority: e.authority, knownAuthorities: [new URL(e.origin).host], clientCapabilities: ["cp1"] },
    system: { networkClient: n },
  });
}

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let network: ReturnType<typeof emulatorNetworkClient>;

beforeAll(async () => {
  emu = await startTestEmulator();
  network = emulatorNetworkClient(emu.caPem);
});
afterAll(async () => {
  await network.close();
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.reset();
  await emu.control.configure({ deviceCodeIntervalSeconds: 0 });
});

describe("a tenant that has not consented", () => {
  it("device code: the token endpoint answers 400 invalid_grant, AADSTS65001, suberror consent_required (Entra's shape)", async () => {
    await emu.control.configure({ consentNotGrantedFor: [GRAPH_CLI_CLIENT], deviceCodeAutoApprove: "adele" });
    const dispatcher = new Agent({ connect: { ca: emu.caPem } });
    const post = async (path: string, form: Record<string, string>) => {
      const res = await fetch(`${emu.authority}/oauth2/v2.0/${path}`, {
        method: "POST",
        dispatcher,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const code = await post("devicecode", { client_id: GRAPH_CLI_CLIENT, scope: PIM_SCOPES.join(" ") });
    const token = await post("token", {
      client_id: GRAPH_CLI_CLIENT,
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: String(code.body.device_code),
    });
    await dispatcher.close();
    expect(token.status).toBe(400);
    expect(token.body).toMatchObject({ error: "invalid_grant", error_codes: [65001], suberror: "consent_required" });
    expect(String(token.body.error_description)).toMatch(
      new RegExp(
        `^AADSTS65001: The user or administrator has not consented to use the application with ID '${GRAPH_CLI_CLIENT}' named 'Microsoft Graph Command Line Tools'\\. Send an interactive authorization request for this user and resource\\. Trace ID: `,
      ),
    );
    // Real MSAL's device-code poller keeps only the `error` word of a failed poll.
    const pca = newPca(emu, network, GRAPH_CLI_CLIENT);
    const error = await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ errorCode: "post_request_failed", errorMessage: "invalid_grant" });
  });

  it("interactive: after the account is picked, the 'Need admin approval' page returns consent_required to the app", async () => {
    await emu.control.configure({ consentNotGrantedFor: ["*"], autoSignIn: "adele" });
    const dispatcher = new Agent({ connect: { ca: emu.caPem } });
    const pca = newPca(emu, network, GRAPH_CLI_CLIENT);
    let page = "";
    const error = await pca
      .acquireTokenInteractive({
        scopes: PIM_SCOPES,
        openBrowser: async (url) => {
          page = await (await fetch(url, { dispatcher })).text();
          await followSignInPage(url, emu.caPem);
        },
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    await dispatcher.close();
    expect(page).toContain("Need admin approval");
    expect(page).toContain("Return to the application without granting consent");
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ errorCode: "consent_required" });
    expect((error as Error).message).toContain(
      "AADSTS65001: The user or administrator has not consented to use the application",
    );
  });

  it("consent for one client does not affect another (the organisation's own registration signs in)", async () => {
    await emu.control.configure({ consentNotGrantedFor: [GRAPH_CLI_CLIENT], deviceCodeAutoApprove: "adele" });
    const pca = newPca(emu, network, OWN_CLIENT);
    const r = await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined });
    expect(r?.account?.username).toBe("adele@contoso.example");
  });

  it("a refresh after consent is withdrawn answers AADSTS65001 too", async () => {
    await emu.control.configure({ deviceCodeAutoApprove: "adele" });
    const pca = newPca(emu, network, GRAPH_CLI_CLIENT);
    const first = await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined });
    await emu.control.configure({ consentNotGrantedFor: ["*"] });
    const account = first?.account;
    if (!account) throw new Error("no account");
    const error = await pca.acquireTokenSilent({ account, scopes: PIM_SCOPES, forceRefresh: true }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect(error).toMatchObject({ subError: "consent_required" });
  });
});

describe("groups with the same name", () => {
  it("$expand=group($select=...) returns description and mailNickname, which differ for the two Platform Ops", async () => {
    await emu.control.configure({ deviceCodeAutoApprove: "adele" });
    const pca = newPca(emu, network, GRAPH_CLI_CLIENT);
    const token =
      (await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined }))?.accessToken ??
      "";
    const dispatcher = new Agent({ connect: { ca: emu.caPem } });
    const url = `${emu.origin}/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances/filterByCurrentUser(on='principal')?$expand=group($select=id,displayName,description,mailNickname)`;
    const res = await fetch(url, { dispatcher, headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { value: Array<{ groupId: string; group: Record<string, unknown> }> };
    await dispatcher.close();
    const ops = body.value.filter((v) => v.group.displayName === "Platform Ops").map((v) => v.group);
    expect(ops).toHaveLength(2);
    expect(ops.find((g) => g.id === DEMO_GROUPS.platformOpsEu)).toEqual({
      id: DEMO_GROUPS.platformOpsEu,
      displayName: "Platform Ops",
      description: "Platform operations (EU)",
      mailNickname: "platform-ops-eu",
    });
    expect(ops.find((g) => g.id === DEMO_GROUPS.platformOpsUs)).toMatchObject({
      description: "Platform operations (US)",
      mailNickname: "platform-ops-us",
    });
  });
});
