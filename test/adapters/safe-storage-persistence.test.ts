// The app's token cache: encrypted with safeStorage, or memory only.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseTokenCache, SafeStoragePersistence, type SafeStorageLike } from "../../electron/adapters/safe-storage-persistence.js";
import { MemoryPersistence } from "../../electron/engine/auth/token-cache.js";

describe("token cache encryption", () => {
  const fakeSafe = (available: boolean, backend = "gnome_libsecret"): SafeStorageLike => ({
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (s) => Buffer.from(`enc:${Buffer.from(s).toString("base64")}`),
    decryptStringAsync: async (b) => {
      const t = b.toString();
      if (!t.startsWith("enc:")) throw new Error("cannot decrypt");
      return { result: Buffer.from(t.slice(4), "base64").toString(), shouldReEncrypt: false };
    },
    getSelectedStorageBackend: () => backend,
  });

  it("encrypts with safeStorage when a key store exists, and never writes plain text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pimtray-cache-"));
    const c = await chooseTokenCache({ safeStorage: fakeSafe(true), platform: "linux", preference: "encrypted", path: join(dir, "cache.bin") });
    expect(c).toMatchObject({ encrypted: true, encryptionAvailable: true });
    expect(c.persistence).toBeInstanceOf(SafeStoragePersistence);
    await c.persistence.save('{"RefreshToken":{"secret":"abc"}}');
    expect(readFileSync(join(dir, "cache.bin"), "utf8")).not.toContain("secret");
    expect(await c.persistence.load()).toBe('{"RefreshToken":{"secret":"abc"}}');
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps tokens in memory only on Linux basic_text, or when the user asks", async () => {
    const basic = await chooseTokenCache({ safeStorage: fakeSafe(true, "basic_text"), platform: "linux", preference: "encrypted", path: "/nonexistent" });
    expect(basic).toMatchObject({ encrypted: false, encryptionAvailable: false });
    expect(basic.persistence).toBeInstanceOf(MemoryPersistence);
    const asked = await chooseTokenCache({ safeStorage: fakeSafe(true), platform: "darwin", preference: "memory", path: "/nonexistent" });
    expect(asked).toMatchObject({ encrypted: false, encryptionAvailable: true });
  });

  it("treats an undecryptable cache as signed out, not as a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pimtray-cache-"));
    const p = new SafeStoragePersistence(join(dir, "cache.bin"), fakeSafe(true));
    await import("node:fs").then((fs) => fs.writeFileSync(join(dir, "cache.bin"), "garbage"));
    expect(await p.load()).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});
