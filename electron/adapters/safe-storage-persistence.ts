import { readFile, rm } from "node:fs/promises";
import { MemoryPersistence, type TokenCachePersistence } from "../engine/auth/token-cache.js";
import { AuthError } from "../engine/errors.js";
import { writeFileAtomic } from "../engine/fs-util.js";

// The app's token cache: encrypted with Electron's safeStorage (the async API; the sync one is
// removed in Electron 46), or memory only where the OS has no real key store.

export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plain: string): Promise<Buffer>;
  decryptStringAsync(cipher: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: "basic_text" means no key store, i.e. not really protected. */
  getSelectedStorageBackend?(): string;
}

export class SafeStoragePersistence implements TokenCachePersistence {
  readonly description = "encrypted with your operating system's key store";

  constructor(
    readonly path: string,
    private readonly safe: SafeStorageLike,
  ) {}

  async load(): Promise<string | null> {
    let data: Buffer;
    try {
      data = await readFile(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    let plain: { result: string; shouldReEncrypt: boolean };
    try {
      plain = await this.safe.decryptStringAsync(data);
    } catch (e) {
      // A key store reset or another OS account: the MSAL cache plugin logs this and starts signed out.
      throw new AuthError(`The saved sign-in in ${this.path} could not be decrypted with your operating system's key store. Sign in again.`, { cause: e });
    }
    // The OS rotated the key (or a stronger one is available): store it under the new key.
    if (plain.shouldReEncrypt) await this.save(plain.result);
    return plain.result;
  }

  async save(serialized: string): Promise<void> {
    const cipher = await this.safe.encryptStringAsync(serialized);
    // The ciphertext is binary: written as bytes, never through a string encoding.
    await writeFileAtomic(this.path, cipher, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

export interface CacheChoice {
  persistence: TokenCachePersistence;
  encrypted: boolean;
  /** Whether the OS offers real encryption at all (shown in Settings). */
  encryptionAvailable: boolean;
}

/** Encrypted when asked for and truly available; otherwise memory only, never plain text on disk. */
export async function chooseTokenCache(o: { safeStorage: SafeStorageLike; platform: NodeJS.Platform; preference: "encrypted" | "memory"; path: string }): Promise<CacheChoice> {
  let available = await o.safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  if (available && o.platform === "linux" && o.safeStorage.getSelectedStorageBackend?.() === "basic_text") available = false;
  if (available && o.preference === "encrypted") {
    return { persistence: new SafeStoragePersistence(o.path, o.safeStorage), encrypted: true, encryptionAvailable: true };
  }
  return { persistence: new MemoryPersistence(), encrypted: false, encryptionAvailable: available };
}
