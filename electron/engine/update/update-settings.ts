// The update settings the service obeys, as the managed-policy resolver hands them over (policy, else the
// user's settings, else these defaults), and when checks happen.

/**
 * - `auto`: check at start and every few hours, download in the background, install on restart or quit.
 * - `manual`: no background checks; "Check for updates" checks and downloads; installs only on "Restart to update".
 * - `off`: nothing is ever asked of any feed (an organisation that ships updates through its own software
 *   distribution: Intune, SCCM, Jamf, a package repository).
 */
export type UpdateMode = "auto" | "manual" | "off";

export interface UpdateSettings {
  readonly mode: UpdateMode;
  /**
   * A generic feed (an https:// folder holding latest.yml, latest-mac.yml, latest-linux.yml and the
   * installers) set by policy, such as an internal mirror; absent or null: the GitHub Releases feed built
   * into the app at packaging time.
   */
  readonly feedUrl?: string | null;
  /** Offer prerelease versions (1.2.0-beta.1). Default: no. */
  readonly allowPrerelease?: boolean;
}

export const DEFAULT_UPDATE_SETTINGS: UpdateSettings = { mode: "auto", feedUrl: null, allowPrerelease: false };

/**
 * The first check waits a minute after start: sign-in, the first reads and any activation at login go first
 * and have the network to themselves (they take about half a second against the emulator, longer on a slow
 * link). Nothing is gained by checking sooner: an update found installs at the next restart at the earliest.
 */
export const FIRST_CHECK_DELAY_MS = 60_000;

/**
 * Then every 4 hours, give or take 10% so that a fleet started at 9:00 does not ask at the same second. A
 * fix reaches every running tray within a working half-day, while hundreds of installs behind one address
 * stay far below what GitHub or an internal web server notices (VS Code checks hourly, Chrome about every
 * 5 hours; update-electron-app's 10 minutes is meant for small public apps).
 */
export const CHECK_INTERVAL_MS = 4 * 3600_000;
export const CHECK_JITTER = 0.1;

/** How often a restart the user asked for while an activation was in flight looks again whether it is done. */
export const IDLE_POLL_MS = 1_000;

/**
 * Why a feed URL is refused, or null. Only https: latest*.yml carries the installers' sha512, so a feed
 * fetched over plain http could hand out any installer with a matching checksum.
 */
export function feedUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `The update feed set by your organisation (${JSON.stringify(url)}) is not a URL. Ask your IT team to set UpdateFeedUrl to the https:// address of the folder that holds latest.yml.`;
  }
  if (parsed.protocol !== "https:")
    return `The update feed set by your organisation (${parsed.origin}) is not https://, so PIM Tray does not use it: its checksums could be changed on the way. Ask your IT team to serve the feed over https.`;
  if (parsed.username || parsed.password)
    return `The update feed set by your organisation has a user name or password in its URL, so PIM Tray does not use it: the URL would end up in logs. Ask your IT team to serve the feed without credentials in the URL.`;
  return null;
}
