import { readFile, rm } from "node:fs/promises";
import { writeFileAtomic } from "../fs-util.js";
import type { AuthorityMetadataStore } from "./authority-metadata.js";
import type { TokenCachePersistence } from "./token-cache.js";

/**
 * The CLI's token cache: a file readable only by its owner (0600), written atomically. The tray app
 * plugs in OS encryption (safeStorage) or memory instead, behind the same interface.
 */
export class OwnerOnlyFilePersistence implements TokenCachePersistence {
  readonly description: string;
  readonly authorityMetadata?: AuthorityMetadataStore;
  readonly warmStart = true;

  constructor(
    readonly path: string,
    options: { authorityMetadata?: AuthorityMetadataStore } = {},
  ) {
    this.description = `in ${path}, readable only by you`;
    if (options.authorityMetadata) this.authorityMetadata = options.authorityMetadata;
  }

  async load(): Promise<string | null> {
    try {
      return await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async save(serialized: string): Promise<void> {
    await writeFileAtomic(this.path, serialized, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
