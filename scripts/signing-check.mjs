#!/usr/bin/env node
// Says, before `electron-builder` runs, whether this build will be signed and with what: one line per platform,
// "signing: secrets present, signing with …" or "signing: … not set; building UNSIGNED (…)". It reads only the
// names of the CI secrets electron-builder itself reads, and never prints a value. Half a set of secrets (a
// certificate without its password, an Apple ID without its team) fails here, with the line saying what is
// missing, instead of deep inside electron-builder. An unsigned build is allowed: it says what it costs.
//
//   node scripts/signing-check.mjs [--platform mac|win|linux|all]   the lines (default: this OS, what `dist` builds)
//   node scripts/signing-check.mjs --builder-args [--platform win]  electron-builder options the secrets call for
//                                                                   (Azure Trusted Signing, the publisher name), one a line
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

const set = (env, name) => typeof env[name] === "string" && env[name].trim() !== "";
const missing = (env, names) => names.filter((n) => !set(env, n));

/** win.signtoolOptions.publisherName from electron-builder.yml (a plain `publisherName: …` line under it). */
export function configuredPublisherName(yml = readFileSync(join(ROOT, "electron-builder.yml"), "utf8")) {
  const m = /^\s+signtoolOptions:\s*\n(?:\s+#.*\n)*\s+publisherName:\s*(.+?)\s*$/m.exec(yml);
  return m ? m[1].replace(/^["']|["']$/g, "") : null;
}

const AZURE = [
  "AZURE_TRUSTED_SIGNING_ENDPOINT",
  "AZURE_TRUSTED_SIGNING_ACCOUNT",
  "AZURE_TRUSTED_SIGNING_PROFILE",
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
];
const APPLE_ID = ["APPLE_ID", "APPLE_APP_SPECIFIC_PASSWORD", "APPLE_TEAM_ID"];
const APPLE_API = ["APPLE_API_KEY", "APPLE_API_KEY_ID", "APPLE_API_ISSUER"];

const incomplete = (names, env) =>
  `some of ${names.join(", ")} are set but ${missing(env, names).join(", ")} ${missing(env, names).length > 1 ? "are" : "is"} not: set all of them, or none`;

function mac(env) {
  if (!set(env, "CSC_LINK"))
    return { ok: true, line: "signing: CSC_LINK not set; building UNSIGNED (auto-update on macOS needs a signed app)" };
  if (!set(env, "CSC_KEY_PASSWORD"))
    return {
      ok: false,
      line: "signing: CSC_LINK is set but CSC_KEY_PASSWORD is not: set the password of the Developer ID certificate, or unset CSC_LINK to build unsigned",
    };
  const appleId = APPLE_ID.filter((n) => set(env, n)).length;
  const apiKey = APPLE_API.filter((n) => set(env, n)).length;
  if (appleId > 0 && appleId < APPLE_ID.length) return { ok: false, line: `signing: ${incomplete(APPLE_ID, env)}` };
  if (apiKey > 0 && apiKey < APPLE_API.length) return { ok: false, line: `signing: ${incomplete(APPLE_API, env)}` };
  const cert = "signing with the Developer ID certificate in CSC_LINK";
  if (appleId)
    return { ok: true, line: `signing: secrets present, ${cert}, notarising with APPLE_ID and APPLE_TEAM_ID` };
  if (apiKey)
    return { ok: true, line: `signing: secrets present, ${cert}, notarising with the App Store Connect API key` };
  return {
    ok: true,
    line: `signing: secrets present, ${cert}; APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID not set, so NOT notarised (macOS refuses to open a downloaded app that is not)`,
  };
}

function win(env, publisher) {
  const who = `installed copies accept only updates signed by '${publisher ?? "(no publisherName)"}'`;
  const azure = AZURE.filter((n) => set(env, n)).length;
  if (azure > 0 && azure < AZURE.length) return { ok: false, line: `signing: ${incomplete(AZURE, env)}` };
  if (azure) {
    if (!set(env, "PIMTRAY_WIN_PUBLISHER_NAME"))
      return {
        ok: false,
        line: "signing: Azure Trusted Signing is set up but PIMTRAY_WIN_PUBLISHER_NAME is not: set it to the subject CN of the certificate profile, which updates are verified against",
      };
    return { ok: true, line: `signing: secrets present, signing with Azure Trusted Signing; ${who}` };
  }
  const link = set(env, "WIN_CSC_LINK") ? "WIN_CSC_LINK" : set(env, "CSC_LINK") ? "CSC_LINK" : null;
  if (!link)
    return {
      ok: true,
      line: `signing: WIN_CSC_LINK not set; building UNSIGNED (SmartScreen warns on install, and ${who}, so they refuse every update)`,
    };
  const password = link === "WIN_CSC_LINK" ? "WIN_CSC_KEY_PASSWORD" : "CSC_KEY_PASSWORD";
  if (!set(env, password) && !set(env, "CSC_KEY_PASSWORD"))
    return {
      ok: false,
      line: `signing: ${link} is set but ${password} is not: set the certificate's password, or unset ${link} to build unsigned`,
    };
  return {
    ok: true,
    line: `signing: secrets present, signing with the certificate in ${link}; ${who} (it must be the certificate's subject CN)`,
  };
}

function linux() {
  return {
    ok: true,
    line: "signing: Linux packages (AppImage, deb) are not code-signed; their updates are checked against the sha512 in latest-linux.yml, fetched over HTTPS",
  };
}

/** The line for one platform ("mac", "win", "linux"), and whether the build may go on. */
export function signingCheck(platform, env = process.env, yml) {
  const publisher = set(env, "PIMTRAY_WIN_PUBLISHER_NAME")
    ? env.PIMTRAY_WIN_PUBLISHER_NAME.trim()
    : configuredPublisherName(yml);
  if (platform === "mac") return mac(env);
  if (platform === "win") return win(env, publisher);
  return linux();
}

/** electron-builder options (-c.…) the secrets call for: the publisher name, and Azure Trusted Signing's settings. */
export function builderArgs(platform, env = process.env) {
  if (platform !== "win") return [];
  const args = [];
  const publisher = set(env, "PIMTRAY_WIN_PUBLISHER_NAME") ? env.PIMTRAY_WIN_PUBLISHER_NAME.trim() : null;
  if (AZURE.every((n) => set(env, n)) && publisher) {
    args.push(
      `-c.win.azureSignOptions.endpoint=${env.AZURE_TRUSTED_SIGNING_ENDPOINT.trim()}`,
      `-c.win.azureSignOptions.codeSigningAccountName=${env.AZURE_TRUSTED_SIGNING_ACCOUNT.trim()}`,
      `-c.win.azureSignOptions.certificateProfileName=${env.AZURE_TRUSTED_SIGNING_PROFILE.trim()}`,
      `-c.win.azureSignOptions.publisherName=${publisher}`,
    );
  } else if (publisher) {
    args.push(`-c.win.signtoolOptions.publisherName=${publisher}`);
  }
  return args;
}

const OS = { darwin: "mac", win32: "win" };

function main(argv) {
  const i = argv.indexOf("--platform");
  const asked = i >= 0 ? argv[i + 1] : (OS[process.platform] ?? "linux");
  if (!["mac", "win", "linux", "all"].includes(asked ?? "")) {
    console.error(`signing: unknown platform ${JSON.stringify(asked)}; use --platform mac, win, linux or all`);
    return 2;
  }
  const platforms = asked === "all" ? ["mac", "win", "linux"] : [asked];
  if (argv.includes("--builder-args")) {
    // One per line (a publisher name has spaces): `mapfile -t args < <(node scripts/signing-check.mjs --builder-args)`.
    for (const a of platforms.flatMap((p) => builderArgs(p))) console.log(a);
    return 0;
  }
  let ok = true;
  for (const p of platforms) {
    const r = signingCheck(p);
    console.log(platforms.length > 1 ? `[${p}] ${r.line}` : r.line);
    ok &&= r.ok;
  }
  return ok ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = main(process.argv.slice(2));
