import { readFile, rm } from "node:fs/promises";
import { MemoryPersistence, type TokenCachePersistence } from "../engine/auth/token-cache.js";
import { AuthError, ConfigError } from "../engine/errors.js";
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
      throw new AuthError(
        `The saved sign-in in ${this.path} could not be decrypted with your operating system's key store. Sign in again.`,
        { cause: e },
      );
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
export async function chooseTokenCache(o: {
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  preference: "encrypted" | "memory";
  path: string;
}): Promise<CacheChoice> {
  let available = await o.safeStorage.isAsyncEncryptionAvailable().catch(() => false);
  if (available && o.platform === "linux" && o.safeStorage.getSelectedStorageBackend?.() === "basic_text")
    available = false;
  if (available && o.preference === "encrypted") {
    return {
      persistence: new SafeStoragePersistence(o.path, o.safeStorage),
      encrypted: true,
      encryptionAvailable: true,
    };
  }
  return { persistence: new MemoryPersistence(), encrypted: false, encryptionAvailable: available };
}

export type TokenStoragePreference = "encrypted" | "memory";

/**
 * The app's running token cache, switchable while the app runs (Settings → Tokens). Memory only
 * deletes the file at once and keeps this session's tokens in memory; Encrypted writes them to the
 * file at once. Every read, write and switch runs in turn, so a write begun before a switch to
 * memory cannot bring the file back after it was deleted.
 */
export class AppTokenCache implements TokenCachePersistence {
  #current: TokenCachePersistence;
  #encrypted: boolean;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: { safeStorage: SafeStorageLike; path: string },
    choice: CacheChoice,
  ) {
    this.#current = choice.persistence;
    this.#encrypted = choice.encrypted;
    this.encryptionAvailable = choice.encryptionAvailable;
  }

  /** Whether the OS offers real encryption at all. */
  readonly encryptionAvailable: boolean;

  static async create(o: {
    safeStorage: SafeStorageLike;
    platform: NodeJS.Platform;
    preference: TokenStoragePreference;
    path: string;
  }): Promise<AppTokenCache> {
    const cache = new AppTokenCache(o, await chooseTokenCache(o));
    // Memory only means nothing on disk, also a file left from before the choice was made elsewhere.
    if (o.preference === "memory") await rm(o.path, { force: true });
    return cache;
  }

  /** Whether tokens are encrypted on disk right now; false means memory only. */
  get encrypted(): boolean {
    return this.#encrypted;
  }

  get description(): string {
    return this.#current.description;
  }

  #inTurn<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  load(): Promise<string | null> {
    return this.#inTurn(() => this.#current.load());
  }

  save(serialized: string): Promise<void> {
    return this.#inTurn(() => this.#current.save(serialized));
  }

  clear(): Promise<void> {
    // Signing out removes the file whichever mode is in use.
    return this.#inTurn(async () => {
      await this.#current.clear();
      await rm(this.o.path, { force: true });
    });
  }

  /** Switches the running cache. Encrypted where the OS has no key store stays memory only. */
  use(preference: TokenStoragePreference): Promise<void> {
    return this.#inTurn(async () => {
      if (preference === "memory") {
        const memory = new MemoryPersistence();
        const current = await this.#readForSwitch();
        if (current !== null) await memory.save(current);
        // Deleted before the switch: if deleting fails, the app still says (truly) that tokens are on disk.
        await rm(this.o.path, { force: true }).catch((e: unknown) => {
          throw new ConfigError(
            `Tokens are still on disk: ${this.o.path} could not be deleted. Delete it yourself, then choose Memory only again.`,
            { cause: e },
          );
        });
        this.#current = memory;
        this.#encrypted = false;
        return;
      }
      if (this.#encrypted || !this.encryptionAvailable) return;
      const encrypted = new SafeStoragePersistence(this.o.path, this.o.safeStorage);
      const current = await this.#current.load();
      if (current !== null) await encrypted.save(current);
      this.#current = encrypted;
      this.#encrypted = true;
    });
  }

  /** This session's tokens, so that leaving the disk does not sign the user out. */
  async #readForSwitch(): Promise<string | null> {
    try {
      return await this.#current.load();
    } catch (e) {
      // A file we cannot decrypt holds nothing this session can use; it is deleted all the same.
      if (e instanceof AuthError) return null;
      throw e;
    }
  }
}
