// Bearer-token checks in front of every ARM route: ARM-audience tokens only, with ARM's 401 codes.
import { decodeJwt, errors, jwtVerify } from "jose";
import type { CallerClaims } from "../model.js";
import type { SigningKeys } from "../tokens.js";
import { ARM_ACCEPTED_AUDIENCES } from "./audience.js";
import { ArmFault } from "./fault.js";

function challenge(origin: string, extra = ""): Record<string, string> {
  return {
    "www-authenticate": `Bearer authorization_uri="${origin}/common", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."${extra}`,
  };
}

export async function authenticateArm(
  authorization: string | undefined,
  keys: SigningKeys,
  nowMs: number,
  origin: string,
  caeRevokedAt: Map<string, number>,
): Promise<CallerClaims> {
  const m = /^Bearer\s+(.*)$/i.exec(authorization ?? "");
  if (!m?.[1]) {
    throw new ArmFault(
      401,
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
      challenge(origin),
    );
  }
  const token = m[1];
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys.publicKey, {
      audience: ARM_ACCEPTED_AUDIENCES,
      currentDate: new Date(nowMs),
      algorithms: ["RS256"],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) {
      const exp = Number((decodeJwt(token).exp ?? 0) as number) * 1000;
      throw new ArmFault(
        401,
        "ExpiredAuthenticationToken",
        `The access token expiry UTC time '${new Date(exp).toUTCString()}' is earlier than current UTC time '${new Date(nowMs).toUTCString()}'.`,
        challenge(origin),
      );
    }
    if (e instanceof errors.JWTClaimValidationFailed && e.claim === "aud") {
      let aud = "";
      try {
        aud = String(decodeJwt(token).aud ?? "");
      } catch {
        aud = "";
      }
      throw new ArmFault(
        401,
        "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences '${ARM_ACCEPTED_AUDIENCES.join("','")}'.`,
        challenge(origin),
      );
    }
    throw new ArmFault(401, "InvalidAuthenticationToken", "The access token is invalid.", challenge(origin));
  }
  const oid = String(payload.oid ?? "").toLowerCase();
  const xmsCc = (payload.xms_cc as string[] | undefined) ?? [];
  const revokedAt = caeRevokedAt.get(oid) ?? caeRevokedAt.get(String(payload.oid ?? ""));
  if (revokedAt !== undefined && Number(payload.iat) < revokedAt) {
    if (xmsCc.includes("cp1")) {
      const claims = Buffer.from(
        JSON.stringify({ access_token: { nbf: { essential: true, value: String(revokedAt) } } }),
      ).toString("base64");
      throw new ArmFault(401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge.", {
        "www-authenticate": `Bearer authorization_uri="${origin}/common", error="insufficient_claims", claims="${claims}"`,
      });
    }
    throw new ArmFault(401, "InvalidAuthenticationToken", "The access token has been revoked.", challenge(origin));
  }
  return {
    oid,
    scp: String(payload.scp ?? "")
      .split(" ")
      .filter(Boolean),
    amr: (payload.amr as string[] | undefined) ?? [],
    acrs: (payload.acrs as string[] | undefined) ?? [],
    xmsCc,
  };
}
