import type { ICachePlugin, TokenCacheContext } from "@azure/msal-node";
import type { AuthorityMetadataStore } from "./authority-metadata.js";

/** Where the serialized MSAL cache lives: a file for the CLI, OS encryption or memory for the app. */
export interface TokenCachePersistence {
  /** The serialized cache, or null when there is none (or it cannot be read: start signed out). */
  load(): Promise<string | null>;
  save(serialized: string): Promise<void>;
  clear(): Promise<void>;
  /** Shown in settings: "encrypted with the OS key store", "memory only", "file readable only by you". */
  readonly description: string;
  /**
   * Where the sign-in host's metadata is kept between runs, beside the tokens (the CLI's file); none for a
   * long-lived process, which reads it once per run anyway.
   */
  readonly authorityMetadata?: AuthorityMetadataStore;
  /**
   * A short-lived process (the CLI): a token MSAL would hand out from this cache silently may be read from it
   * without loading MSAL (warm-token.ts). A long-lived one loads MSAL once anyway.
   */
  readonly warmStart?: boolean;
}

export class MemoryPersistence implements TokenCachePersistence {
  #data: string | null = null;
  readonly description = "kept in memory only; you sign in again after a restart";
  async load() {
    return this.#data;
  }
  async save(s: string) {
    this.#data = s;
  }
  async clear() {
    this.#data = null;
  }
}

/** The MSAL cache plugin over a persistence. A cache that fails to parse is dropped, not fatal. */
export function cachePlugin(persistence: TokenCachePersistence, onError: (e: unknown) => void): ICachePlugin {
  return {
    async beforeCacheAccess(ctx: TokenCacheContext) {
      let data: string | null = null;
      try {
        data = await persistence.load();
      } catch (e) {
        onError(e);
      }
      if (!data) return;
      try {
        ctx.tokenCache.deserialize(data);
      } catch (e) {
        onError(e);
      }
    },
    async afterCacheAccess(ctx: TokenCacheContext) {
      if (!ctx.cacheHasChanged) return;
      await persistence.save(ctx.tokenCache.serialize());
    },
  };
}
