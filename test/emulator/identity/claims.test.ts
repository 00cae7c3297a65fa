// The `claims` request parameter: what the emulator reads from it, and when it asks for a step-up.
import { describe, expect, it } from "vitest";
import { parseClaims, stepUpRequested } from "../../../emulator/identity/claims.js";

describe("parseClaims", () => {
  it("reads acrs, MFA and client capabilities from access_token, as value or values", () => {
    const raw = JSON.stringify({
      access_token: {
        acrs: { essential: true, value: "c1" },
        amr: { values: ["ngcmfa"] },
        xms_cc: { values: ["cp1"] },
      },
    });
    expect(parseClaims(raw)).toEqual({ acrs: ["c1"], mfa: true, xmsCc: ["cp1"] });
  });

  it("asks for nothing when absent or without access_token, and rejects what is not a JSON object", () => {
    const none = { acrs: [], mfa: false, xmsCc: [] };
    expect(parseClaims(null)).toEqual(none);
    expect(parseClaims(JSON.stringify({ id_token: { acrs: { value: "c1" } } }))).toEqual(none);
    expect(parseClaims("{not json")).toBe("invalid");
    expect(parseClaims("42")).toBe("invalid");
  });
});

describe("stepUpRequested", () => {
  it("is true for MFA or any authentication context, false otherwise", () => {
    expect(stepUpRequested({ acrs: [], mfa: true, xmsCc: [] })).toBe(true);
    expect(stepUpRequested({ acrs: ["c1"], mfa: false, xmsCc: [] })).toBe(true);
    expect(stepUpRequested({ acrs: [], mfa: false, xmsCc: ["cp1"] })).toBe(false);
  });
});
