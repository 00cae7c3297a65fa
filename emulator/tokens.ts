import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type CryptoKey } from "jose";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** The RS256 signing key, kept in the data folder so tokens stay valid across an emulator restart. */
export async function loadSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, "signing-key.json");
  if (existsSync(file)) {
    try {
      const stored = JSON.parse(readFileSync(file, "utf8")) as { kid: string; privateJwk: JWK; publicJwk: JWK };
      return {
        kid: stored.kid,
        privateKey: (await importJWK(stored.privateJwk, "RS256")) as CryptoKey,
        publicKey: (await importJWK(stored.publicJwk, "RS256")) as CryptoKey,
        publicJwk: stored.publicJwk,
      };
    } catch {
      // A damaged key file is replaced: the emulator's tokens are disposable, so nothing is lost but sessions.
    }
  }
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID().replace(/-/g, "").slice(0, 16);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: "sig", alg: "RS256" };
  const privateJwk = await exportJWK(privateKey);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ kid, privateJwk, publicJwk }), { mode: 0o600 });
  renameSync(tmp, file);
  return { kid, privateKey, publicKey, publicJwk };
}

export interface AccessTokenClaims {
  oid: string;
  tid: string;
  scp: string;
  amr: string[];
  acrs?: string[];
  xms_cc?: string[];
  name: string;
  upn: string;
  appid: string;
  sid: string;
}

export async function signJwt(
  keys: SigningKeys,
  claims: Record<string, unknown>,
  opts: { issuer: string; audience: string; nowSeconds: number; lifetimeSeconds: number },
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: keys.kid })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt(opts.nowSeconds)
    .setNotBefore(opts.nowSeconds)
    .setExpirationTime(opts.nowSeconds + opts.lifetimeSeconds)
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

export type VerifyResult =
  | { ok: true; claims: AccessTokenClaims & { iat: number; exp: number } }
  | { ok: false; reason: "empty" | "expired" | "invalid" };

/** Validates a Graph bearer token against the emulator's own key and clock. */
export async function verifyAccessToken(keys: SigningKeys, token: string, nowSeconds: number): Promise<VerifyResult> {
  if (!token) return { ok: false, reason: "empty" };
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      audience: [GRAPH_AUDIENCE, GRAPH_APP_ID],
      currentDate: new Date(nowSeconds * 1000),
      algorithms: ["RS256"],
    });
    return { ok: true, claims: payload as unknown as AccessTokenClaims & { iat: number; exp: number } };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, reason: code === "ERR_JWT_EXPIRED" ? "expired" : "invalid" };
  }
}
