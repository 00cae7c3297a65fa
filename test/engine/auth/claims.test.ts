import { describe, expect, it } from "vitest";
import { acrsClaims, MFA_CLAIMS } from "../../../electron/engine/auth/claims.js";

describe("step-up claims", () => {
  it("asks for MFA as an essential amr value", () => {
    expect(JSON.parse(MFA_CLAIMS)).toEqual({ access_token: { amr: { essential: true, values: ["mfa"] } } });
  });

  it("asks for one authentication context as value and several as values", () => {
    expect(JSON.parse(acrsClaims(["c1"]))).toEqual({ access_token: { acrs: { essential: true, value: "c1" } } });
    expect(JSON.parse(acrsClaims(["c1", "c2"]))).toEqual({
      access_token: { acrs: { essential: true, values: ["c1", "c2"] } },
    });
  });
});
