// Types of signing-check.mjs, for its tests.
export interface SigningLine {
  /** False: half a set of secrets; the build must stop. */
  readonly ok: boolean;
  readonly line: string;
}
export type Platform = "mac" | "win" | "linux";
export function configuredPublisherName(yml?: string): string | null;
export function signingCheck(platform: Platform, env?: NodeJS.ProcessEnv, yml?: string): SigningLine;
export function builderArgs(platform: Platform, env?: NodeJS.ProcessEnv): string[];
