import { readFile, rm } from "node:fs/promises";
import { writeFileAtomic } from "../fs-util.js";

/**
 * The sign-in host's OpenID configuration (its authorize and token endpoints, its issuer), kept between runs.
 * MSAL reads it over the network before a process's first token, even a cached one: one round trip before
 * anything else at every `pimtray` start. A store hands MSAL the document it read last time, through MSAL's
 * own `authorityMetadata` option, for the same authority only and only within `ttlMs`.
 */
export interface AuthorityMetadataStore {
  /** The document kept for exactly this authority, as JSON text; null when none, expired, or not usable. */
  load(authority: string): Promise<string | null>;
  save(authority: string, document: string): Promise<void>;
  clear(): Promise<void>;
}

/** As long as MSAL keeps the same document in memory before reading it again (its cache's 24 hours). */
export const AUTHORITY_METADATA_TTL_MS = 24 * 60 * 60_000;

/** The file's name, beside the CLI's token cache. */
export const AUTHORITY_METADATA_FILE = "authority-metadata.json";

const VERSION = 1;

/**
 * The document is usable when it has what MSAL needs (its `isOpenIdConfigResponse`) and its endpoints are on
 * the authority's own origin: a changed or tampered file can never send a refresh token to another host; at
 * worst MSAL reads the document from the network again, as it did before there was a store.
 */
export function usableMetadata(authority: string, document: string): boolean {
  let doc: unknown;
  let origin: string;
  try {
    doc = JSON.parse(document);
    origin = new URL(authority).origin;
  } catch {
    return false;
  }
  if (typeof doc !== "object" || doc === null) return false;
  const d = doc as Record<string, unknown>;
  if (typeof d.issuer !== "string" || typeof d.jwks_uri !== "string") return false;
  const endpoints = [d.authorization_endpoint, d.token_endpoint];
  if (d.end_session_endpoint !== undefined) endpoints.push(d.end_session_endpoint);
  return endpoints.every((e) => {
    if (typeof e !== "string") return false;
    try {
      return new URL(e).origin === origin;
    } catch {
      return false;
    }
  });
}

/**
 * The CLI's store: one JSON file, owner-only like the token cache beside it, written atomically. It holds no
 * secret: the document is public. A file that is missing, unreadable, corrupt, expired, for another authority
 * (another tenant, cloud or `--authority-host`) or dated in the future is ignored, and MSAL reads the network.
 */
export class AuthorityMetadataFile implements AuthorityMetadataStore {
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(
    readonly path: string,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.#ttlMs = options.ttlMs ?? AUTHORITY_METADATA_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  async load(authority: string): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return null;
    }
    let kept: unknown;
    try {
      kept = JSON.parse(text);
    } catch {
      return null;
    }
    if (typeof kept !== "object" || kept === null) return null;
    const k = kept as Record<string, unknown>;
    if (k.version !== VERSION || k.authority !== authority || typeof k.document !== "string") return null;
    const age = this.#now() - (typeof k.savedAt === "number" ? k.savedAt : Number.NaN);
    // NaN (no date) fails both tests; a date in the future (a clock set back) is not trusted either.
    if (!(age >= 0 && age < this.#ttlMs)) return null;
    return usableMetadata(authority, k.document) ? k.document : null;
  }

  async save(authority: string, document: string): Promise<void> {
    const kept = { version: VERSION, authority, savedAt: this.#now(), document };
    await writeFileAtomic(this.path, `${JSON.stringify(kept)}\n`, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
