import type { AuthenticationResult } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import { SignInPrompts } from "../../../electron/engine/auth/sign-in-prompt.js";
import { AuthError } from "../../../electron/engine/errors.js";
import { account, connection, fakeClient, result } from "./fakes.js";

const me = account("me@contoso.com");

function browserPrompts(
  interactive: (r: Record<string, unknown>) => Promise<AuthenticationResult>,
  timeoutMs?: number,
) {
  return new SignInPrompts({
    client: fakeClient({ acquireTokenInteractive: interactive }),
    connection,
    ui: { openBrowser: async () => {} },
    signInTimeoutMs: timeoutMs,
  });
}

describe("SignInPrompts", () => {
  it("shares one prompt among concurrent callers asking for the same claims, and prompts again afterwards", async () => {
    const requests: Array<Record<string, unknown>> = [];
    let finish = (_r: AuthenticationResult) => {};
    const prompts = browserPrompts((r) => {
      requests.push(r);
      return new Promise((resolve) => (finish = resolve));
    });
    const a = prompts.prompt("browser", '{"c":1}', "me@contoso.com", false);
    const b = prompts.prompt("browser", '{"c":1}', "me@contoso.com", false);
    expect(requests).toHaveLength(1);
    finish(result("t1", me));
    expect((await a).accessToken).toBe("t1");
    expect((await b).accessToken).toBe("t1");

    const c = prompts.prompt("browser", '{"c":1}', "me@contoso.com", false);
    expect(requests).toHaveLength(2);
    finish(result("t2", me));
    expect((await c).accessToken).toBe("t2");
  });

  it("prompts separately for different claims", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const prompts = browserPrompts(async (r) => {
      requests.push(r);
      return result("t", me);
    });
    await Promise.all([
      prompts.prompt("browser", '{"c":1}', undefined, false),
      prompts.prompt("browser", '{"c":2}', undefined, false),
    ]);
    expect(requests.map((r) => r["claims"])).toEqual(['{"c":1}', '{"c":2}']);
  });

  it("uses the login hint unless the person is choosing an account", async () => {
    const requests: Array<Record<string, unknown>> = [];
    const prompts = browserPrompts(async (r) => {
      requests.push(r);
      return result("t", me);
    });
    await prompts.prompt("browser", undefined, "me@contoso.com", false);
    await prompts.prompt("browser", undefined, "me@contoso.com", true);
    expect(requests[0]).toMatchObject({ loginHint: "me@contoso.com" });
    expect(requests[0]).not.toHaveProperty("prompt");
    expect(requests[1]).toMatchObject({ prompt: "select_account" });
    expect(requests[1]).not.toHaveProperty("loginHint");
  });

  it("gives up on a browser sign-in nobody finishes", async () => {
    const prompts = browserPrompts(() => new Promise(() => {}), 20);
    await expect(prompts.prompt("browser", undefined, undefined, false)).rejects.toThrow(
      /Sign-in was not completed within/,
    );
  });

  it("refuses a method this front end cannot show", async () => {
    const prompts = new SignInPrompts({ client: fakeClient({}), connection, ui: {} });
    await expect(prompts.prompt("device-code", undefined, undefined, false)).rejects.toThrow(
      new AuthError("Device-code sign-in is not available here."),
    );
    await expect(prompts.prompt("browser", undefined, undefined, false)).rejects.toThrow(/No browser is available/);
  });

  it("shows the device code and treats no result as canceled", async () => {
    const shown: string[] = [];
    const prompts = new SignInPrompts({
      client: fakeClient({
        acquireTokenByDeviceCode: async (r) => {
          const callback = r["deviceCodeCallback"] as (d: Record<string, string>) => void;
          callback({ message: "Go to x and enter ABC", userCode: "ABC", verificationUri: "https://x" });
          return null;
        },
      }),
      connection,
      ui: { showDeviceCode: (d) => shown.push(d.userCode) },
    });
    await expect(prompts.prompt("device-code", undefined, undefined, false)).rejects.toThrow(
      "Device-code sign-in was canceled.",
    );
    expect(shown).toEqual(["ABC"]);
  });
});
