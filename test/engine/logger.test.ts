import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { scrub } from "../../electron/engine/logger.js";

// Shapes seen on the wire: an Entra refresh token (version, dot, base64url), the emulator's
// opaque ones (48 random bytes), an auth code and client_info (base64url JSON).
const ENTRA_RT = "0.AXEAkDnJ3f9n6kqZ0mR4wQxYt7uVbCdEfGhIjKlMnOpQrStUvWxYz.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wUA9P8";
const clientInfo = Buffer.from(JSON.stringify({ uid: randomUUID(), utid: randomUUID() })).toString("base64url");

describe("scrub", () => {
  it("removes the auth code and client_info from a redirect URL and a token request body", () => {
    const code = randomBytes(32).toString("base64url");
    const redirect = `http://localhost:53123/?code=${code}&client_info=${clientInfo}&state=abc&session_state=xyz`;
    const out = scrub(`redirect received: ${redirect}`);
    expect(out).not.toContain(code);
    expect(out).not.toContain(clientInfo);
    expect(out).toContain("state=abc");
    const form = `client_id=1950a258&grant_type=authorization_code&code=${code}&redirect_uri=http%3A%2F%2Flocalhost&client_info=1`;
    expect(scrub(form)).not.toContain(code);
    expect(scrub(form)).toContain("grant_type=authorization_code");
  });

  it("removes client_info from a JSON token response", () => {
    const out = scrub(JSON.stringify({ token_type: "Bearer", client_info: clientInfo }));
    expect(out).not.toContain(clientInfo);
  });

  it("removes refresh-token-shaped values even without a field name", () => {
    // What the emulator mints: 48 random bytes as base64url.
    const opaque = "q3Vh0M2xk9_ZtR7bLw-4nYc8PfJ1sDgEoUaHiKmNpQrSvTuWxXyZ0a1B2c3D4e5F";
    expect(scrub(`cache holds ${ENTRA_RT} for adele`)).not.toContain(ENTRA_RT.slice(4, 30));
    expect(scrub(`rt ${opaque} end`)).toBe("rt [token] end");
    expect(scrub(`rt=${ENTRA_RT}`)).not.toContain("AXEAkDnJ");
  });

  it("keeps what a log needs: Graph error codes, ids, paths and words", () => {
    const id = randomUUID();
    const text = `{"error":{"code":"RoleAssignmentRequestPolicyValidationFailed","message":"ExpirationRule"}} group ${id} request ${id}_${id} path identityGovernance/privilegedAccess/group/assignmentScheduleRequests error code: 403`;
    expect(scrub(text)).toBe(text);
  });
});
