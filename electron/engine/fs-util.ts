import { randomBytes } from "node:crypto";
import { copyFile, mkdir, rename, writeFile, chmod } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Writes via a temporary file and rename, so a crash never leaves a half-written file. A string is
 * written as UTF-8; binary data (ciphertext) must be passed as bytes, never as a latin1 string.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, data, { mode });
  // writeFile's mode is masked by umask; owner-only files must stay owner-only.
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** Copies `path` aside before a rewrite or after finding it damaged; returns the copy's path. */
export async function backupFile(path: string, why: "before-migration" | "corrupt" | "before-reset"): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = `${path}.${why}-${stamp}.bak`;
  await copyFile(path, target);
  return target;
}
