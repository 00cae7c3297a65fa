// scripts/signing-check.mjs, run as the release workflow runs it (a real `node` process, before `dist`), with
// the CI secrets present, absent and half set: one line per platform, exit 1 only for half a set, and never a
// secret's value in its output.
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { builderArgs, configuredPublisherName, signingCheck } from "../../scripts/signing-check.mjs";

const SECRET = "s3cr3t-VALUE-never-printed";

function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["scripts/signing-check.mjs", ...args],
      // Only PATH: the machine's own CSC_* or APPLE_* variables must not leak into the cases.
      { env: { PATH: process.env.PATH ?? "", ...env } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

const CSC = { CSC_LINK: SECRET, CSC_KEY_PASSWORD: SECRET };
const APPLE = { APPLE_ID: "dev@contoso.example", APPLE_APP_SPECIFIC_PASSWORD: SECRET, APPLE_TEAM_ID: "ABCDE12345" };
const AZURE = {
  AZURE_TRUSTED_SIGNING_ENDPOINT: "https://weu.codesigning.azure.net",
  AZURE_TRUSTED_SIGNING_ACCOUNT: "contoso-signing",
  AZURE_TRUSTED_SIGNING_PROFILE: "contoso-public",
  AZURE_TENANT_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_CLIENT_ID: "66666666-7777-8888-9999-000000000000",
  AZURE_CLIENT_SECRET: SECRET,
};

describe("signing-check.mjs", () => {
  it("no secrets: one line per platform, each saying UNSIGNED and what that costs; the build goes on", async () => {
    const r = await run(["--platform", "all"], {});
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toEqual([
      "[mac] signing: CSC_LINK not set; building UNSIGNED (auto-update on macOS needs a signed app)",
      "[win] signing: WIN_CSC_LINK not set; building UNSIGNED (SmartScreen warns on install, and installed copies accept only updates signed by 'PIM Tray contributors', so they refuse every update)",
      "[linux] signing: Linux packages (AppImage, deb) are not code-signed; their updates are checked against the sha512 in latest-linux.yml, fetched over HTTPS",
    ]);
  });

  it("by default, the line for this OS only (what `npm run dist` builds)", async () => {
    const r = await run([], {});
    const os = process.platform === "darwin" ? "macOS" : process.platform === "win32" ? "WIN_CSC_LINK" : "Linux";
    expect(r.out.trim().split("\n")).toHaveLength(1);
    expect(r.out).toContain(os);
  });

  it("macOS: certificate and Apple ID: signed and notarised", async () => {
    const r = await run(["--platform", "mac"], { ...CSC, ...APPLE });
    expect(r).toEqual({
      code: 0,
      out: "signing: secrets present, signing with the Developer ID certificate in CSC_LINK, notarising with APPLE_ID and APPLE_TEAM_ID\n",
      err: "",
    });
  });

  it("macOS: an App Store Connect API key notarises too", async () => {
    const r = await run(["--platform", "mac"], {
      ...CSC,
      APPLE_API_KEY: "/secrets/AuthKey.p8",
      APPLE_API_KEY_ID: "KEY123",
      APPLE_API_ISSUER: "issuer",
    });
    expect(r.out).toContain("notarising with the App Store Connect API key");
    expect(r.code).toBe(0);
  });

  it("macOS: a certificate alone signs, and says the app is not notarised", async () => {
    const r = await run(["--platform", "mac"], CSC);
    expect(r.code).toBe(0);
    expect(r.out).toContain("so NOT notarised");
  });

  it.each([
    [{ CSC_LINK: SECRET }, "CSC_LINK is set but CSC_KEY_PASSWORD is not"],
    [{ ...CSC, APPLE_ID: "dev@contoso.example" }, "are set but APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID are not"],
    [{ ...CSC, ...APPLE, APPLE_TEAM_ID: "   " }, "are set but APPLE_TEAM_ID is not"],
  ])("macOS: half a set of secrets stops the build and names what is missing (%#)", async (env, want) => {
    const r = await run(["--platform", "mac"], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain(want);
  });

  it("Windows: a .pfx in WIN_CSC_LINK signs; the line names the publisher updates are verified against", async () => {
    const r = await run(["--platform", "win"], { WIN_CSC_LINK: SECRET, WIN_CSC_KEY_PASSWORD: SECRET });
    expect(r).toEqual({
      code: 0,
      out: "signing: secrets present, signing with the certificate in WIN_CSC_LINK; installed copies accept only updates signed by 'PIM Tray contributors' (it must be the certificate's subject CN)\n",
      err: "",
    });
  });

  it("Windows: CSC_LINK is used when WIN_CSC_LINK is not (as electron-builder does); PIMTRAY_WIN_PUBLISHER_NAME names the publisher", async () => {
    const r = await run(["--platform", "win"], { ...CSC, PIMTRAY_WIN_PUBLISHER_NAME: "Contoso Ltd" });
    expect(r.code).toBe(0);
    expect(r.out).toContain("certificate in CSC_LINK; installed copies accept only updates signed by 'Contoso Ltd'");
    const args = await run(["--platform", "win", "--builder-args"], {
      ...CSC,
      PIMTRAY_WIN_PUBLISHER_NAME: "Contoso Ltd",
    });
    expect(args.out).toBe("-c.win.signtoolOptions.publisherName=Contoso Ltd\n");
  });

  it("Windows: Azure Trusted Signing, with the electron-builder options for it", async () => {
    const env = { ...AZURE, PIMTRAY_WIN_PUBLISHER_NAME: "Contoso Ltd" };
    const r = await run(["--platform", "win"], env);
    expect(r.out).toBe(
      "signing: secrets present, signing with Azure Trusted Signing; installed copies accept only updates signed by 'Contoso Ltd'\n",
    );
    const args = await run(["--platform", "win", "--builder-args"], env);
    expect(args.out.trim().split("\n")).toEqual([
      "-c.win.azureSignOptions.endpoint=https://weu.codesigning.azure.net",
      "-c.win.azureSignOptions.codeSigningAccountName=contoso-signing",
      "-c.win.azureSignOptions.certificateProfileName=contoso-public",
      "-c.win.azureSignOptions.publisherName=Contoso Ltd",
    ]);
  });

  it.each([
    [{ WIN_CSC_LINK: SECRET }, "WIN_CSC_LINK is set but WIN_CSC_KEY_PASSWORD is not"],
    [{ AZURE_CLIENT_SECRET: SECRET }, "are set but AZURE_TRUSTED_SIGNING_ENDPOINT"],
    [AZURE, "PIMTRAY_WIN_PUBLISHER_NAME is not"],
  ])("Windows: half a set of secrets stops the build and names what is missing (%#)", async (env, want) => {
    const r = await run(["--platform", "win"], env);
    expect(r.code).toBe(1);
    expect(r.out).toContain(want);
  });

  it("never prints a secret's value, whatever the case", async () => {
    const cases: Array<Record<string, string>> = [
      { ...CSC, ...APPLE },
      { WIN_CSC_LINK: SECRET },
      AZURE,
      { ...AZURE, PIMTRAY_WIN_PUBLISHER_NAME: "X" },
    ];
    for (const env of cases) {
      const r = await run(["--platform", "all"], env);
      expect(r.out + r.err).not.toContain(SECRET);
    }
  });

  it("an unknown platform is a usage error", async () => {
    const r = await run(["--platform", "beos"], {});
    expect(r.code).toBe(2);
    expect(r.err).toContain("use --platform mac, win, linux or all");
  });

  it("reads the publisher name from electron-builder.yml, and the module's functions agree with the script", () => {
    expect(configuredPublisherName()).toBe("PIM Tray contributors");
    expect(configuredPublisherName("win:\n  signtoolOptions:\n    # the CN\n    publisherName: 'Contoso Ltd'\n")).toBe(
      "Contoso Ltd",
    );
    expect(signingCheck("linux", {}).ok).toBe(true);
    expect(builderArgs("mac", { PIMTRAY_WIN_PUBLISHER_NAME: "X" })).toEqual([]);
  });
});
