// `pimtray` as a child process against the emulator over HTTPS, real MSAL inside: groups that share
// a name are told apart, and a tenant without consent gets told what to ask an administrator for.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_GROUPS as G } from "../../emulator/index.js";
import { CliHarness, endCliSuite, resetPim, startCliSuite, type CliSuite } from "../helpers/cli.js";

const DEFAULT_CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const OWN_CLIENT = "0b1c2d3e-4f50-4617-8899-aabbccddeeff";

let emu: CliSuite["emu"];
let cli: CliHarness;

beforeAll(async () => {
  ({ emu, cli } = await startCliSuite({ provisioningDelayMs: 200 }));
});
afterAll(() => endCliSuite({ emu, cli }));
beforeEach(async () => {
  resetPim(emu);
  await emu.control.configure({ consentNotGrantedFor: [], autoSignIn: null, deviceCodeAutoApprove: null });
});

const lines = (text: string, word: string) => text.split("\n").filter((l) => l.includes(word));

describe("groups with the same name", () => {
  it("`eligible` shows each Platform Ops with its description and the start of its id; unique names stay plain", async () => {
    const r = await cli.run(["eligible"]);
    expect(r.code).toBe(0);
    const ops = lines(r.stdout, "Platform Ops");
    expect(ops).toHaveLength(2);
    expect(ops[0]).not.toBe(ops[1]);
    const eu = ops.find((l) => l.includes("Platform operations (EU)"));
    const us = ops.find((l) => l.includes("Platform operations (US)"));
    expect(eu).toContain(G.platformOpsEu.slice(0, 8));
    expect(us).toContain(G.platformOpsUs.slice(0, 8));
    const finance = lines(r.stdout, "Finance Admins")[0] ?? "";
    expect(finance).not.toContain("No approval, up to 8 hours");
    expect(finance).not.toContain(G.financeAdmins.slice(0, 8));
  });

  it("`eligible --json` carries what tells them apart", async () => {
    const r = await cli.json(["eligible"]);
    const ops = (r.body.eligibilities as Array<Record<string, unknown>>).filter((e) => e.groupName === "Platform Ops");
    expect(ops.map((e) => e.groupDescription).sort()).toEqual(["Platform operations (EU)", "Platform operations (US)"]);
    expect(ops.map((e) => e.groupMailNickname).sort()).toEqual(["platform-ops-eu", "platform-ops-us"]);
  });

  it("an ambiguous name lists the candidates with their descriptions; `status` tells two active ones apart", async () => {
    const amb = await cli.run(["activate", "Platform Ops", "--justification", "test"]);
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain("Platform operations (EU)");
    expect(amb.stderr).toContain("Platform operations (US)");
    for (const id of [G.platformOpsEu, G.platformOpsUs]) {
      expect((await cli.run(["activate", id, "--duration", "1h", "--justification", "test"])).code).toBe(0);
    }
    const status = await cli.run(["status"]);
    const ops = lines(status.stdout, "Platform Ops");
    expect(ops).toHaveLength(2);
    expect(ops.some((l) => l.includes("Platform operations (EU)") && l.includes(G.platformOpsEu.slice(0, 8)))).toBe(
      true,
    );
    expect(ops.some((l) => l.includes("Platform operations (US)") && l.includes(G.platformOpsUs.slice(0, 8)))).toBe(
      true,
    );
  });
});

describe("a tenant that has not consented to the default client", () => {
  const adminConsentUrl = () => `${emu.origin}/${emu.tenantId}/adminconsent?client_id=${DEFAULT_CLIENT}`;

  it("device-code login: exit 9, names what to ask an administrator, gives the admin-consent URL and the docs", async () => {
    const fresh = new CliHarness(emu);
    try {
      await emu.control.configure({
        consentNotGrantedFor: [DEFAULT_CLIENT],
        deviceCodeAutoApprove: "adele",
        deviceCodeIntervalSeconds: 0,
      });
      const r = await fresh.run(["login", "--device-code"]);
      expect(r.code).toBe(9);
      expect(r.stderr).toContain("administrator");
      expect(r.stderr).toContain(adminConsentUrl());
      expect(r.stderr).toContain("docs/cli.md");
      expect(r.stderr).not.toMatch(/at .*\.m?js:\d+/); // no stack trace
      const j = await fresh.json(["login", "--device-code"]);
      expect(j.code).toBe(9);
      expect(j.body.error).toMatchObject({
        kind: "consent",
        adminConsentUrl: adminConsentUrl(),
        clientId: DEFAULT_CLIENT,
      });
    } finally {
      fresh.cleanup();
    }
  });

  it("browser login: the 'Need admin approval' page's way back gives the same exit 9 and URL", async () => {
    const fresh = new CliHarness(emu);
    const bin = mkdtempSync(join(tmpdir(), "pimtray-browser-"));
    // The system browser: fetches the sign-in URL, then submits the page's form to the loopback,
    // as a person pressing "Return to the application without granting consent" would.
    writeFileSync(
      join(bin, "xdg-open"),
      `#!${process.execPath}
(async () => {
  const html = await (await fetch(process.argv[2])).text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)[1];
  const un = (s) => s.replace(/&#(\\d+);/g, (_, n) => String.fromCharCode(Number(n)));
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(un(m[1]), un(m[2]));
  await fetch(un(action), { method: "POST", body: fields.toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
})();
`,
    );
    chmodSync(join(bin, "xdg-open"), 0o755);
    try {
      await emu.control.configure({ consentNotGrantedFor: ["*"], autoSignIn: "adele" });
      const r = await fresh.run(["login"], { PATH: `${bin}:${process.env.PATH ?? ""}` });
      expect(r.code).toBe(9);
      expect(r.stderr).toContain(`${emu.origin}/${emu.tenantId}/adminconsent?client_id=${DEFAULT_CLIENT}`);
      expect(r.stderr).toContain("docs/cli.md");
      const log = await emu.control.requests();
      expect(log.some((e) => e.path.endsWith("/oauth2/v2.0/authorize"))).toBe(true);
    } finally {
      fresh.cleanup();
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("the organisation's own registration (--client-id) then signs in", async () => {
    const fresh = new CliHarness(emu);
    try {
      await emu.control.configure({
        consentNotGrantedFor: [DEFAULT_CLIENT],
        deviceCodeAutoApprove: "adele",
        deviceCodeIntervalSeconds: 0,
      });
      const r = await fresh.run(["login", "--device-code", "--client-id", OWN_CLIENT]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("adele@contoso.example");
    } finally {
      fresh.cleanup();
    }
  });
});
