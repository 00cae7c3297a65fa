import { open } from "node:fs/promises";

// Where managed policy comes from. Each source reads its raw values (names as found, values as stored) and says
// what stopped it; policy-resolver.ts validates the values, key by key, and applies them in the sources' order.

/** Values as a source holds them, keyed by the name it used. */
export type RawPolicy = Record<string, unknown>;

export interface PolicyRead {
  /** The values, or null when this source holds no policy (or none that could be taken). */
  values: RawPolicy | null;
  /** Why the source, or a value in it, could not be taken: plain language, with the fix. */
  problems: string[];
  /** The source holds policy that was refused as a whole (a file anyone but root could have written). */
  refused?: boolean;
}

/** One place policy is read from; tests give fakes. */
export interface PolicySource {
  /** Where, as an administrator would name it: `HKLM\SOFTWARE\Policies\PIMTray`, `/etc/pimtray/policy.json`. */
  readonly name: string;
  read(): Promise<PolicyRead>;
}

/** A policy file larger than this is refused: no sane policy is near it, and it is read at every start. */
export const POLICY_FILE_MAX_BYTES = 1024 * 1024;

export type OwnedFile =
  | { state: "absent" }
  | { state: "read"; bytes: Buffer }
  | { state: "refused"; problem: string }
  | { state: "unreadable"; problem: string };

export interface OwnerRule {
  /** The uid that must own the file: 0 (root), except in tests, which cannot create root's files. */
  ownerUid: number;
  /** Also accepted: the user running PIM Tray (only for the test aid PIMTRAY_POLICY_FILE; see platform-sources.ts). */
  orCurrentUser?: boolean;
}

/**
 * Reads a policy file only when an administrator, not the user, can have written it: owned by root and not
 * writable by group or others. The checks are made on the opened file (fstat), so the file read is the file
 * checked, even if the path is swapped in between.
 */
export async function readOwnedFile(path: string, rule: OwnerRule): Promise<OwnedFile> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { state: "absent" };
    return {
      state: "unreadable",
      problem: `${path} could not be read (${(e as Error).message}); no policy in it applies.`,
    };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { state: "refused", problem: `${path} is not a file; no policy in it applies.` };
    const me = process.getuid?.() ?? -1;
    const ownerOk = st.uid === rule.ownerUid || (rule.orCurrentUser === true && st.uid === me);
    const writableByOthers = (st.mode & 0o022) !== 0;
    if (!ownerOk || writableByOthers) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, "0");
      const why = !ownerOk ? `it is owned by uid ${st.uid}, not root` : `group or others may write it (mode ${mode})`;
      return {
        state: "refused",
        problem: `${path} is ignored: policy must be owned by root and writable by no one else, and ${why}. Fix: sudo chown root:root ${path} && sudo chmod 644 ${path}`,
      };
    }
    if (st.size > POLICY_FILE_MAX_BYTES)
      return {
        state: "refused",
        problem: `${path} is ignored: it is ${st.size} bytes, more than the ${POLICY_FILE_MAX_BYTES} a policy file may be.`,
      };
    return { state: "read", bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
