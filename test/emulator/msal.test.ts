// The real @azure/msal-node, unchanged, against the emulator over HTTPS.
import { InteractionRequiredAuthError, ServerError, type AuthenticationResult } from "@azure/msal-node";
import type { Browser } from "playwright-core";
import { CHROMIUM, haveChromium, launchChromium, NO_CHROMIUM } from "../helpers/chromium.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { followSignInPage } from "../../electron/node/demo-sign-in.js";
import { DEMO_USERS } from "../../emulator/index.js";
import { startTestEmulator } from "../helpers/emulator.js";
import { emulatorNetworkClient } from "../helpers/msal-network.js";
import { accountOf, jwtPayload, newPca, PIM_SCOPES } from "../helpers/tokens.js";

const ACRS_C1 = JSON.stringify({ access_token: { acrs: { essential: true, value: "c1" } } });

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

describe("device code flow", () => {
  it("polls with authorization_pending until the code is approved, then returns tokens for the user", async () => {
    const pca = newPca(emu, network);
    let message = "";
    const approved = (async () => {
      // Wait until MSAL has obtained a code, then approve it as Adele would on the device-login page.
      for (let i = 0; i < 100; i++) {
        const pending = await emu.control.pendingDeviceCodes();
        if (pending[0]) return emu.control.approveDeviceCode(pending[0].userCode, "adele");
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("no device code was requested");
    })();
    await emu.control.configure({ deviceCodeIntervalSeconds: 1 });
    const result = await pca.acquireTokenByDeviceCode({
      scopes: PIM_SCOPES,
      deviceCodeCallback: (r) => {
        message = r.message;
      },
    });
    await approved;
    expect(message).toMatch(/\/devicelogin and enter the code [A-Z]{8}/);
    expect(result?.account?.username).toBe("adele@contoso.example");
    expect(result?.account?.localAccountId).toBe(DEMO_USERS.adele);
    const log = await emu.control.requests();
    const polls = log.filter((e) => e.path.endsWith("/oauth2/v2.0/token"));
    expect(polls.some((p) => p.status === 400)).toBe(true); // authorization_pending was seen
    expect((polls.at(-1)?.body as Record<string, string>).grant_type).toBe("device_code");
    const at = jwtPayload(result?.accessToken ?? "");
    expect(at.aud).toBe("https://graph.microsoft.com");
    expect(at.oid).toBe(DEMO_USERS.adele);
    expect(String(at.scp).split(" ")).toEqual(
      expect.arrayContaining([
        "PrivilegedEligibilitySchedule.Read.AzureADGroup",
        "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
      ]),
    );
    expect(at.xms_cc).toEqual(["cp1"]);
    expect(at.amr).toEqual(["pwd"]);
  });

  it("fails with authorization_declined when the user cancels on the device-login page", async () => {
    const pca = newPca(emu, network);
    await emu.control.configure({ deviceCodeIntervalSeconds: 1 });
    const attempt = pca.acquireTokenByDeviceCode({
      scopes: PIM_SCOPES,
      deviceCodeCallback: (r) => {
        void fetchForm(`${emu.origin}/devicelogin`, { code: r.userCode, user: DEMO_USERS.adele, action: "deny" });
      },
    });
    await expect(attempt).rejects.toMatchObject({ errorCode: "post_request_failed" });
  });

  it("approves through the device-login web page", async () => {
    const pca = newPca(emu, network);
    await emu.control.configure({ deviceCodeIntervalSeconds: 1 });
    let pageText = "";
    const result = await pca.acquireTokenByDeviceCode({
      scopes: PIM_SCOPES,
      deviceCodeCallback: (r) => {
        void fetchForm(`${emu.origin}/devicelogin`, {
          code: r.userCode,
          user: DEMO_USERS.megan,
          action: "approve",
        }).then((t) => {
          pageText = t;
        });
      },
    });
    expect(result?.account?.username).toBe("megan@contoso.example");
    expect(pageText).toContain("You have signed in");
  });
});

async function fetchForm(url: string, fields: Record<string, string>): Promise<string> {
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  try {
    const res = await fetch(url, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      dispatcher,
    });
    return await res.text();
  } finally {
    await dispatcher.close();
  }
}

describe("interactive flow in Chromium", () => {
  let browser: Browser | null = null;
  const needChromium = (t: { skip: (note?: string) => void }) => {
    if (!haveChromium) t.skip(NO_CHROMIUM);
  };

  beforeAll(async () => {
    if (!haveChromium) return;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function interactive(opts: { claims?: string; cancel?: boolean; expectStepUpNotice?: boolean } = {}) {
    if (!browser) throw new Error(`Chromium is needed at ${CHROMIUM} (apt-get install chromium)`);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const pca = newPca(emu, network);
    let sawStepUp = false;
    try {
      return {
        result: await pca.acquireTokenInteractive({
          scopes: PIM_SCOPES,
          ...(opts.claims ? { claims: opts.claims } : {}),
          successTemplate: "<h1>PIM Tray: signed in</h1>",
          errorTemplate: "<h1>PIM Tray: sign-in failed</h1>",
          openBrowser: async (url) => {
            const page = await context.newPage();
            await page.goto(url);
            await page.getByRole("heading", { name: "Sign in" }).waitFor();
            sawStepUp = (await page.getByTestId("stepup").count()) > 0;
            await page.locator(opts.cancel ? "#cancel" : "#signin").click();
          },
        }),
        sawStepUp,
      };
    } finally {
      await context.close();
    }
  }

  it("shows the sign-in page, and MSAL receives the code on its loopback", async (t) => {
    needChromium(t);
    const { result } = await interactive();
    expect(result.account?.username).toBe("adele@contoso.example");
    expect(result.idTokenClaims).toMatchObject({ oid: DEMO_USERS.adele, preferred_username: "adele@contoso.example" });
    // MSAL sent no nonce, so the id_token must carry none (MSAL would reject it otherwise).
    expect((result.idTokenClaims as Record<string, unknown>).nonce).toBeUndefined();
    const log = await emu.control.requests();
    const authorize = log.find((e) => e.path.endsWith("/oauth2/v2.0/authorize") && e.method === "GET");
    expect(authorize?.query.response_mode).toBe("form_post");
    expect(authorize?.query.code_challenge_method).toBe("S256");
    const redeem = log.find((e) => (e.body as Record<string, string> | null)?.grant_type === "authorization_code");
    expect((redeem?.body as Record<string, string>).code_verifier).toBe("[redacted]");
  });

  it("reports access_denied when the user cancels", async (t) => {
    needChromium(t);
    await expect(interactive({ cancel: true })).rejects.toMatchObject({ errorCode: "access_denied" });
  });

  it("satisfies an authentication-context step-up interactively", async (t) => {
    needChromium(t);
    const { result, sawStepUp } = await interactive({ claims: ACRS_C1 });
    expect(sawStepUp).toBe(true);
    const at = jwtPayload(result.accessToken);
    expect(at.acrs).toEqual(["c1"]);
    expect(at.amr).toEqual(["pwd", "mfa"]);
  });
});

describe("automatic sign-in mode and error outcomes", () => {
  it("signs in without a page when autoSignIn is set (openBrowser posts the page's form)", async () => {
    await emu.control.configure({ autoSignIn: "alex" });
    const pca = newPca(emu, network);
    const result = await pca.acquireTokenInteractive({
      scopes: PIM_SCOPES,
      openBrowser: (url) => followSignInPage(url, emu.caPem),
    });
    expect(result.account?.username).toBe("alex@contoso.example");
  });

  it("ends with the configured OAuth error", async () => {
    await emu.control.configure({ authorizeOutcome: { error: "access_denied" } });
    const pca = newPca(emu, network);
    await expect(
      pca.acquireTokenInteractive({ scopes: PIM_SCOPES, openBrowser: (url) => followSignInPage(url, emu.caPem) }),
    ).rejects.toBeInstanceOf(ServerError);
  });
});

describe("silent use and refresh", () => {
  async function deviceSignIn(user: string): Promise<{ pca: ReturnType<typeof newPca>; result: AuthenticationResult }> {
    await emu.control.configure({ deviceCodeAutoApprove: user });
    const pca = newPca(emu, network);
    const result = await pca.acquireTokenByDeviceCode({ scopes: PIM_SCOPES, deviceCodeCallback: () => undefined });
    if (!result) throw new Error("no result");
    return { pca, result };
  }

  it("serves the cached token silently, and refreshes with the refresh token when forced", async () => {
    const { pca, result } = await deviceSignIn("adele");
    const before = (await emu.control.requests()).length;
    const cached = await pca.acquireTokenSilent({ account: accountOf(result), scopes: PIM_SCOPES });
    expect(cached.fromCache).toBe(true);
    expect((await emu.control.requests()).length).toBe(before);
    const refreshed = await pca.acquireTokenSilent({
      account: accountOf(result),
      scopes: PIM_SCOPES,
      forceRefresh: true,
    });
    expect(refreshed.fromCache).toBe(false);
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    const last = (await emu.control.requests()).at(-1);
    expect((last?.body as Record<string, string>).grant_type).toBe("refresh_token");
    expect((last?.body as Record<string, string>).refresh_token).toBe("[redacted]");
  });

  it("a refresh asking for step-up claims needs interaction when the session has not done MFA", async () => {
    const { pca, result } = await deviceSignIn("adele");
    const err = await pca
      .acquireTokenSilent({ account: accountOf(result), scopes: PIM_SCOPES, claims: ACRS_C1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect((err as InteractionRequiredAuthError).errorMessage).toContain("AADSTS50076");
  });

  it("a refresh asking for step-up claims succeeds silently when the session has done MFA", async () => {
    const { pca, result } = await deviceSignIn("alex");
    const stepped = await pca.acquireTokenSilent({ account: accountOf(result), scopes: PIM_SCOPES, claims: ACRS_C1 });
    const at = jwtPayload(stepped.accessToken);
    expect(at.acrs).toEqual(["c1"]);
    expect(at.amr).toContain("mfa");
    const mfa = await pca.acquireTokenSilent({
      account: accountOf(result),
      scopes: PIM_SCOPES,
      claims: JSON.stringify({ access_token: { amr: { essential: true, values: ["mfa"] } } }),
    });
    expect(jwtPayload(mfa.accessToken).amr).toEqual(["pwd", "mfa"]);
  });

  it("the per-user switch makes a user's session MFA-capable", async () => {
    await emu.control.setUser("adele", { sessionHasMfa: true });
    const { pca, result } = await deviceSignIn("adele");
    const stepped = await pca.acquireTokenSilent({ account: accountOf(result), scopes: PIM_SCOPES, claims: ACRS_C1 });
    expect(jwtPayload(stepped.accessToken).acrs).toEqual(["c1"]);
  });

  it("token lifetime is configurable and stays above MSAL's 5-minute refresh margin by default", async () => {
    const { result } = await deviceSignIn("adele");
    const secondsLeft = ((result.expiresOn?.getTime() ?? 0) - Date.now()) / 1000;
    expect(secondsLeft).toBeGreaterThan(3500);
    await emu.control.configure({ accessTokenLifetimeSeconds: 600 });
    const { result: short } = await deviceSignIn("megan");
    expect(((short.expiresOn?.getTime() ?? 0) - Date.now()) / 1000).toBeLessThan(601);
  });
});
