import { join } from "node:path";
import { readOwnedFile, type OwnerRule, type PolicyRead, type PolicySource } from "./policy-source.js";

// macOS: managed preferences for dev.pimtray.app. A configuration profile (Jamf, Intune, any MDM) makes
// macOS write the forced values to /Library/Managed Preferences/<user>/dev.pimtray.app.plist (user scope) and
// /Library/Managed Preferences/dev.pimtray.app.plist (device scope), as root. Only those files are read: a
// value in ~/Library/Preferences (`defaults write`) is the user's, never policy. Electron's getUserDefault and
// @vscode/policy-watcher's CFPreferencesCopyAppValue cannot tell the two apart; these files hold forced values only.
// They are binary or XML plists: bplist-parser reads the first, plist the second, both imported only here,
// only on a Mac that has such a file.

export const MACOS_DOMAIN = "dev.pimtray.app";
export const MANAGED_PREFERENCES_DIR = "/Library/Managed Preferences";

/** The files to read, in precedence order: the user's managed preferences, then the computer's. */
export function managedPreferencePaths(user: string, dir = MANAGED_PREFERENCES_DIR): string[] {
  const file = `${MACOS_DOMAIN}.plist`;
  // A user name with a path separator would name another folder; such a name reads only the computer's file.
  const safeUser = user && !/[/\0]/.test(user) && user !== "." && user !== "..";
  return [...(safeUser ? [join(dir, user, file)] : []), join(dir, file)];
}

/** MDM bookkeeping a profile may leave beside the preferences: never a policy key, never reported. */
const PROFILE_KEYS = /^(Payload|mcx_)/;

/** Parses a plist file's bytes: binary (bplist00) or XML. */
export async function parsePlist(bytes: Buffer): Promise<unknown> {
  if (bytes.subarray(0, 8).toString("latin1") === "bplist00") {
    const { parseBuffer } = await import("bplist-parser");
    return parseBuffer(bytes)[0];
  }
  const text = bytes.toString("utf8");
  // Checked first: the XML parser prints its own complaint to the console for text that is not XML at all.
  if (!/<plist[\s>]/.test(text)) throw new Error("neither a binary plist nor XML with a <plist> element");
  const { parse } = await import("plist");
  return parse(text);
}

export class MacManagedPreferences implements PolicySource {
  constructor(
    readonly path: string,
    private readonly rule: OwnerRule = { ownerUid: 0 },
    readonly name: string = path,
  ) {}

  async read(): Promise<PolicyRead> {
    const file = await readOwnedFile(this.path, this.rule);
    if (file.state === "absent") return { values: null, problems: [] };
    if (file.state !== "read") return { values: null, problems: [file.problem], refused: file.state === "refused" };
    let doc: unknown;
    try {
      doc = await parsePlist(file.bytes);
    } catch (e) {
      return {
        values: null,
        problems: [
          `${this.path} is not a property list (${(e as Error).message}); no policy in it applies. Reinstall the configuration profile.`,
        ],
      };
    }
    if (typeof doc !== "object" || doc === null || Array.isArray(doc) || doc instanceof Uint8Array)
      return { values: null, problems: [`${this.path} does not hold a dictionary of preferences; nothing applies.`] };
    const values = Object.fromEntries(Object.entries(doc).filter(([k]) => !PROFILE_KEYS.test(k)));
    return { values, problems: [] };
  }
}
