// The file that keeps the sign-in host's OpenID configuration between CLI runs (authority-metadata.ts): what it
// gives back, and every case in which it gives nothing, so MSAL reads the network as it did before there was one.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AUTHORITY_METADATA_TTL_MS,
  AuthorityMetadataFile,
  usableMetadata,
} from "../../../electron/engine/auth/authority-metadata.js";

const AUTHORITY = "https://login.microsoftonline.us/0b9b6e7a-1111-4222-8333-444455556666";
const doc = (origin = "https://login.microsoftonline.us", extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    issuer: `${origin}/0b9b6e7a-1111-4222-8333-444455556666/v2.0`,
    authorization_endpoint: `${origin}/0b9b6e7a-1111-4222-8333-444455556666/oauth2/v2.0/authorize`,
    token_endpoint: `${origin}/0b9b6e7a-1111-4222-8333-444455556666/oauth2/v2.0/token`,
    end_session_endpoint: `${origin}/0b9b6e7a-1111-4222-8333-444455556666/oauth2/v2.0/logout`,
    jwks_uri: `${origin}/0b9b6e7a-1111-4222-8333-444455556666/discovery/v2.0/keys`,
    ...extra,
  });

let dir: string;
let path: string;
let now: number;
const store = () => new AuthorityMetadataFile(path, { now: () => now });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-auth-metadata-"));
  path = join(dir, "authority-metadata.json");
  now = Date.parse("2026-12-06T12:00:00Z");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("AuthorityMetadataFile", () => {
  it("gives back what was saved for the same authority, from an owner-only file", async () => {
    await store().save(AUTHORITY, doc());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store().load(AUTHORITY)).toBe(doc());
  });

  it("gives nothing for another authority: another tenant, cloud or host", async () => {
    await store().save(AUTHORITY, doc());
    expect(await store().load("https://login.microsoftonline.us/contoso.com")).toBeNull();
    expect(await store().load("https://login.microsoftonline.com/0b9b6e7a-1111-4222-8333-444455556666")).toBeNull();
    expect(await store().load("https://127.0.0.1:4000/0b9b6e7a-1111-4222-8333-444455556666")).toBeNull();
  });

  it("gives nothing once the TTL has passed, nor for a date in the future", async () => {
    await store().save(AUTHORITY, doc());
    now += AUTHORITY_METADATA_TTL_MS - 1;
    expect(await store().load(AUTHORITY)).toBe(doc());
    now += 1;
    expect(await store().load(AUTHORITY)).toBeNull();
    now -= AUTHORITY_METADATA_TTL_MS + 60_000; // the clock set back before the save
    expect(await store().load(AUTHORITY)).toBeNull();
  });

  it("gives nothing for a missing, corrupt or unexpected file, and never throws", async () => {
    expect(await store().load(AUTHORITY)).toBeNull();
    for (const text of [
      "",
      "{",
      "null",
      "[]",
      JSON.stringify({ version: 2, authority: AUTHORITY, savedAt: now, document: doc() }),
      JSON.stringify({ version: 1, authority: AUTHORITY, document: doc() }),
      JSON.stringify({ version: 1, authority: AUTHORITY, savedAt: String(now), document: doc() }),
      JSON.stringify({ version: 1, authority: AUTHORITY, savedAt: now, document: JSON.parse(doc()) }),
      JSON.stringify({ version: 1, authority: AUTHORITY, savedAt: now, document: "{not json" }),
    ]) {
      writeFileSync(path, text);
      expect(await store().load(AUTHORITY), text).toBeNull();
    }
  });

  it("gives nothing when the document sends anything to another origin", async () => {
    const other = "https://login.example.net";
    for (const bad of [
      doc(other),
      doc(undefined, { token_endpoint: `${other}/t/oauth2/v2.0/token` }),
      doc(undefined, { authorization_endpoint: "not a url" }),
      doc(undefined, { end_session_endpoint: `${other}/logout` }),
      doc(undefined, { issuer: null }),
    ]) {
      await store().save(AUTHORITY, bad);
      expect(await store().load(AUTHORITY), bad).toBeNull();
    }
  });

  it("clear removes the file; clearing twice is fine", async () => {
    await store().save(AUTHORITY, doc());
    await store().clear();
    await store().clear();
    expect(() => readFileSync(path)).toThrow();
    expect(await store().load(AUTHORITY)).toBeNull();
  });
});

describe("usableMetadata", () => {
  it("needs MSAL's four fields, with the endpoints on the authority's origin (the port included)", () => {
    expect(usableMetadata(AUTHORITY, doc())).toBe(true);
    const { end_session_endpoint: _, ...noLogout } = JSON.parse(doc()) as Record<string, string>;
    expect(usableMetadata(AUTHORITY, JSON.stringify(noLogout))).toBe(true);
    const { jwks_uri: __, ...noKeys } = JSON.parse(doc()) as Record<string, string>;
    expect(usableMetadata(AUTHORITY, JSON.stringify(noKeys))).toBe(false);
    expect(usableMetadata("https://127.0.0.1:4000/t", doc("https://127.0.0.1:4001"))).toBe(false);
    expect(usableMetadata("https://127.0.0.1:4000/t", doc("https://127.0.0.1:4000"))).toBe(true);
    expect(usableMetadata("not a url", doc())).toBe(false);
  });
});
