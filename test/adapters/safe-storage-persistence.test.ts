// The app's token cache: encrypted with safeStorage, or memory only. The safeStorage double is
// AES-GCM with a random IV, so its ciphertext is binary, as the real one is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseTokenCache, SafeStoragePersistence } from "../../electron/adapters/safe-storage-persistence.js";
import { MemoryPersistence } from "../../electron/engine/auth/token-cache.js";
import { AppDouble, SafeStorageDouble } from "./electron-doubles.js";

const EVERY_BYTE_VALUE = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join("");
const CACHE = JSON.stringify({
  RefreshToken: { k: { secret: "opaque-sample-refresh-value" } },
  Account: { k: { name: "Zoë Müller 山田 😀" } },
  every: EVERY_BYTE_VALUE,
});

let dir: string;
let app: AppDouble;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "pimtray-cache-"));
  app = new AppDouble();
  await app.whenReady();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("token cache encryption", () => {
  it("reads back, after a restart, what it saved: every byte value, through binary ciphertext", async () => {
    const path = join(dir, "msal-cache.bin");
    const safe = new SafeStorageDouble(app);
    await new SafeStoragePersistence(path, safe).save(CACHE);
    const onDisk = readFileSync(path);
    expect(onDisk.some((b) => b >= 0x80)).toBe(true);
    expect(onDisk.toString("latin1")).not.toContain("opaque-sample-refresh-value");
    // A new process: a new persistence (and safeStorage) over the same OS key.
    const after = new SafeStoragePersistence(path, new SafeStorageDouble(app, { key: safe.key }));
    expect(await after.load()).toBe(CACHE);
  });

  it("writes different ciphertext on every save, and each one reads back", async () => {
    const path = join(dir, "msal-cache.bin");
    const p = new SafeStoragePersistence(path, new SafeStorageDouble(app));
    await p.save(CACHE);
    const first = readFileSync(path);
    await p.save(CACHE);
    expect(readFileSync(path).equals(first)).toBe(false);
    expect(await p.load()).toBe(CACHE);
  });

  it("re-encrypts under the new key when safeStorage asks for it", async () => {
    const path = join(dir, "msal-cache.bin");
    const safe = new SafeStorageDouble(app, { shouldReEncrypt: true });
    await new SafeStoragePersistence(path, safe).save(CACHE);
    const before = readFileSync(path);
    expect(await new SafeStoragePersistence(path, safe).load()).toBe(CACHE);
    expect(readFileSync(path).equals(before)).toBe(false);
  });

  it("encrypts with safeStorage when a key store exists, and never writes plain text", async () => {
    const c = await chooseTokenCache({
      safeStorage: new SafeStorageDouble(app),
      platform: "linux",
      preference: "encrypted",
      path: join(dir, "cache.bin"),
    });
    expect(c).toMatchObject({ encrypted: true, encryptionAvailable: true });
    expect(c.persistence).toBeInstanceOf(SafeStoragePersistence);
    await c.persistence.save('{"RefreshToken":{"secret":"abc"}}');
    expect(readFileSync(join(dir, "cache.bin"), "latin1")).not.toContain("secret");
    expect(await c.persistence.load()).toBe('{"RefreshToken":{"secret":"abc"}}');
  });

  it("keeps tokens in memory only on Linux basic_text, or when the user asks", async () => {
    const basic = await chooseTokenCache({
      safeStorage: new SafeStorageDouble(app, { backend: "basic_text" }),
      platform: "linux",
      preference: "encrypted",
      path: join(dir, "cache.bin"),
    });
    expect(basic).toMatchObject({ encrypted: false, encryptionAvailable: false });
    expect(basic.persistence).toBeInstanceOf(MemoryPersistence);
    const asked = await chooseTokenCache({
      safeStorage: new SafeStorageDouble(app),
      platform: "darwin",
      preference: "memory",
      path: join(dir, "cache.bin"),
    });
    expect(asked).toMatchObject({ encrypted: false, encryptionAvailable: true });
  });

  it("refuses a cache it cannot decrypt (garbage, or another key) with a message that says what to do", async () => {
    const path = join(dir, "cache.bin");
    writeFileSync(path, "garbage");
    const p = new SafeStoragePersistence(path, new SafeStorageDouble(app));
    await expect(p.load()).rejects.toMatchObject({ kind: "auth", message: expect.stringContaining("Sign in again") });
    await new SafeStoragePersistence(path, new SafeStorageDouble(app)).save(CACHE);
    const other = await p.load().catch((e: unknown) => e);
    expect(other).toMatchObject({
      kind: "auth",
      cause: { message: expect.stringContaining("Error while decrypting the ciphertext") },
    });
    expect(String((other as Error).message)).not.toContain("opaque-sample-refresh-value");
  });
});

describe("the safeStorage double", () => {
  it("throws before the app is ready, like Electron's", async () => {
    const early = new SafeStorageDouble(new AppDouble());
    await expect(early.encryptStringAsync("x")).rejects.toThrow("before app is ready");
    await expect(early.decryptStringAsync(Buffer.from("v10"))).rejects.toThrow("before app is ready");
  });
});
