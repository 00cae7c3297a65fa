// Starts a fresh copy of the real composition root (electron/main/main.ts) against a fresh fake
// electron module, in a fresh config folder: one app launch per call, as a user would start it.
// The calling test file also mocks electron statically, so nothing can ever load the real package.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { vi } from "vitest";
import { followSignInPage } from "../../electron/node/demo-sign-in.js";

export type Fake = typeof import("./electron-fake.js");
export type UpdaterFake = typeof import("./electron-updater-fake.js");

export async function boot(
  o: { settings?: string | object; argv?: string[]; packaged?: boolean; env?: Record<string, string | undefined> } = {},
): Promise<{ fake: Fake; dir: string }> {
  vi.resetModules();
  const fake = await import("./electron-fake.js");
  // Each launch gets its own electron: a fresh module, not ready yet, with nothing recorded.
  vi.doMock("electron", () => fake);
  // …and its own electron-updater, loaded (by main's adapter) only if main ever checks for updates.
  vi.doMock("electron-updater", () => import("./electron-updater-fake.js"));
  const dir = mkdtempSync(join(tmpdir(), "pimtray-boot-"));
  if (o.settings !== undefined)
    writeFileSync(join(dir, "settings.json"), typeof o.settings === "string" ? o.settings : JSON.stringify(o.settings));
  process.env.PIMTRAY_CONFIG_DIR = dir;
  // No session bus: on Linux the app's notify-send (notifications with buttons) fails at once and the
  // Electron fake's notification is shown instead, so no test pops a real notification on a desktop.
  process.env.DBUS_SESSION_BUS_ADDRESS = "unix:path=/nonexistent";
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fake.app.isPackaged = o.packaged ?? false;
  const argv = process.argv;
  process.argv = [...argv, ...(o.argv ?? [])];
  try {
    await import("../../electron/main/main.js");
  } finally {
    process.argv = argv;
  }
  return { fake, dir };
}

export async function until(what: string, pred: () => boolean, ms = 15_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The labels of the tray's current menu. */
export function menuLabels(fake: Fake): string[] {
  return (fake.recorded.menus.at(-1) ?? []).map((i) => i.label ?? "—");
}

export function clickMenu(fake: Fake, id: string): void {
  const item = (fake.recorded.menus.at(-1) ?? []).find((i) => i.id === id);
  if (!item?.click) throw new Error(`no menu item '${id}' in: ${menuLabels(fake).join(" | ")}`);
  item.click();
}

/**
 * A launch against the emulator: its net.fetch trusts the emulator's CA (as the OS store would a real tenant's),
 * and the system browser follows the emulator's sign-in page.
 */
export function againstEmulator(fake: Fake, emu: { caPem: string }): void {
  const dispatcher = new Agent({ connect: { ca: emu.caPem } });
  fake.setNetFetch(
    (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
  );
  fake.setOpenExternal((url) => followSignInPage(url, emu.caPem));
}

/**
 * A managed policy for PIMTRAY_POLICY_FILE, in a temporary folder of its own (`dir`, for the test to remove): owned
 * by the user running the test and writable by no one else, that variable's rule.
 */
export function policyFile(policy: object): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "pimtray-policy-"));
  const path = join(dir, "policy.json");
  writeFileSync(path, JSON.stringify(policy), { mode: 0o644 });
  return { path, dir };
}
