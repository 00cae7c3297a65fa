// The doctor's vocabulary. The JSON shape (DoctorReport) is a contract, documented in docs/cli.md ("doctor"):
// fields are only ever added, never renamed or removed, and `schemaVersion` changes if one ever must.

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface Check {
  /** Stable id, e.g. "reach.graph", for scripts and support. */
  id: string;
  /** What was checked, for people. */
  title: string;
  status: CheckStatus;
  /** What was found, in one or two sentences. Never a token. */
  detail: string;
  /** What to do about it, for people; null when there is nothing to do. */
  fix: string | null;
  /** Facts behind the detail (codes, times, versions) for the JSON report. */
  data?: Record<string, unknown>;
}

export interface DoctorReport {
  schemaVersion: 1;
  /** ISO-8601 UTC. */
  generatedAt: string;
  /** The worst status of any check (skip counts as ok). */
  status: "ok" | "warn" | "fail";
  checks: Check[];
}

/** Which front end runs the checks: the fixes differ (a CLI flag, or the OS trust store the app uses). */
export type FrontEnd = "cli" | "app";
