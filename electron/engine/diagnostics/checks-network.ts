import type { Check, FrontEnd } from "./types.js";
import type { ProxySetting } from "./proxy-env.js";
import type { ReachResult } from "./reach.js";

// The network checks: each endpoint's reachability and TLS, TLS inspection, the clock, the proxy.

export type EndpointRole = "signin" | "graph" | "arm";

const ROLE_TITLE: Record<EndpointRole, string> = {
  signin: "Sign-in host",
  graph: "Microsoft Graph",
  arm: "Azure Resource Manager",
};

/** Certificate errors a TLS-inspecting proxy causes: its own CA signs the certificate, and this client does not trust it. */
export const INSPECTION_CODES = new Set([
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_UNTRUSTED",
  "net::ERR_CERT_AUTHORITY_INVALID",
]);

const CLOCK_CODES = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID", "net::ERR_CERT_DATE_INVALID"]);
const NAME_CODES = new Set(["ERR_TLS_CERT_ALTNAME_INVALID", "net::ERR_CERT_COMMON_NAME_INVALID"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "net::ERR_NAME_NOT_RESOLVED"]);

/** Organisations that issue the certificates of Microsoft's sign-in, Graph and ARM endpoints in every cloud. */
const SERVICE_ISSUERS = ["Microsoft Corporation", "DigiCert Inc", "DigiCert, Inc."];

/** What to do when the network inspects TLS with a CA this client does not trust. */
export function inspectionFix(fe: FrontEnd): string {
  return fe === "cli"
    ? "Your network seems to inspect HTTPS with its own certificate authority. If your IT department installed that CA in this computer's trust store, run pimtray with --use-system-ca (or set PIMTRAY_USE_SYSTEM_CA=1). Otherwise ask IT for the CA certificate as a PEM file and set NODE_EXTRA_CA_CERTS to its path."
    : "Your network seems to inspect HTTPS with its own certificate authority, which this computer does not trust. Ask your IT department to install that CA in the operating system's trust store (PIM Tray uses it), or to exempt the Microsoft sign-in, Graph and Azure Resource Manager hosts from inspection.";
}

function proxyHint(fe: FrontEnd): string {
  return fe === "cli"
    ? "If your network requires a proxy, set HTTPS_PROXY (and NO_PROXY for hosts to reach directly)."
    : "If your network requires a proxy, check the system proxy settings (PIM Tray uses them).";
}

/** The fix for an endpoint that could not be reached, by its error. */
function unreachableFix(r: ReachResult, host: string, fe: FrontEnd): string {
  const code = r.errorCode ?? "";
  if (INSPECTION_CODES.has(code)) return inspectionFix(fe);
  if (CLOCK_CODES.has(code))
    return "Check this computer's date, time and time zone. If they are right, something on the network presents an expired certificate: ask your IT department.";
  if (NAME_CODES.has(code))
    return `Something other than ${host} answered (a captive portal, a proxy or a wrong DNS entry). Sign in to the network's portal if there is one, or ask your IT department.`;
  if (DNS_CODES.has(code))
    return `${host} does not resolve. Check your network connection, DNS and VPN. ${proxyHint(fe)}`;
  if (r.proxy)
    return `Check that the proxy ${r.proxy} is running and allows HTTPS (CONNECT) to ${host}, or add ${host} to NO_PROXY if it must be reached directly.`;
  return `Allow outbound HTTPS (port 443) to ${host} in your firewall. ${proxyHint(fe)}`;
}

export function endpointCheck(role: EndpointRole, r: ReachResult | null, fe: FrontEnd): Check {
  const id = `reach.${role}`;
  const title = ROLE_TITLE[role];
  if (!r)
    return {
      id,
      title,
      status: "skip",
      detail:
        "Not checked: Azure roles are off for this connection (a custom sign-in host or Graph endpoint without an ARM endpoint).",
      fix: null,
    };
  const host = new URL(r.url).host;
  const via = r.proxy ? ` through the proxy ${r.proxy}` : " directly";
  const data = {
    url: r.url,
    status: r.status,
    ms: r.ms,
    errorCode: r.errorCode,
    proxy: r.proxy,
    issuer: r.peer?.issuer ?? null,
  };
  if (r.reached)
    return {
      id,
      title,
      status: "ok",
      detail: `${host} answered${via} in ${r.ms} ms (HTTP ${r.status})${r.peer ? `; its certificate is issued by ${r.peer.issuer}` : ""}.`,
      fix: null,
      data,
    };
  const why = r.errorCode ? `${r.errorCode}: ${r.error ?? ""}` : (r.error ?? "no answer");
  const issuer = r.peer && !r.peer.trusted ? ` The certificate presented is issued by ${r.peer.issuer}.` : "";
  return {
    id,
    title,
    status: "fail",
    detail: `${host} could not be reached${via} (${why}).${issuer}`,
    fix: unreachableFix(r, host, fe),
    data,
  };
}

/** Whether the certificate's issuer is one Microsoft's endpoints use. */
function serviceIssuer(org: string | null, issuer: string): boolean {
  const names = [org ?? "", issuer].join(" ").toLowerCase();
  return SERVICE_ISSUERS.some((s) => names.includes(s.toLowerCase()));
}

/**
 * TLS inspection: a certificate error of the kind an inspecting proxy causes, or (for Microsoft's own
 * endpoints, not custom ones) a certificate issued by someone other than the service's CAs.
 */
export function inspectionCheck(results: ReachResult[], customEndpoints: boolean, fe: FrontEnd): Check {
  const id = "tls.inspection";
  const title = "TLS inspection";
  const refused = results.filter((r) => !r.reached && INSPECTION_CODES.has(r.errorCode ?? ""));
  const foreign = customEndpoints
    ? []
    : results.filter((r) => r.peer && !serviceIssuer(r.peer.issuerOrg, r.peer.issuer));
  const hosts = (rs: ReachResult[]) => rs.map((r) => new URL(r.url).host).join(", ");
  const issuers = (rs: ReachResult[]) => [...new Set(rs.map((r) => r.peer?.issuer).filter(Boolean))].join(", ");
  const data = { refused: refused.map((r) => r.url), foreignIssuer: foreign.map((r) => r.url) };
  if (refused.length)
    return {
      id,
      title,
      status: "fail",
      detail: `The certificate of ${hosts(refused)} is not trusted here (${refused[0]?.errorCode})${
        issuers(refused) ? `; it is issued by ${issuers(refused)}` : ""
      }. This is what a proxy that inspects HTTPS causes.`,
      fix: inspectionFix(fe),
      data,
    };
  if (foreign.length)
    return {
      id,
      title,
      status: "warn",
      detail: `${hosts(foreign)} present${foreign.length === 1 ? "s" : ""} a certificate issued by ${issuers(foreign)}, not by Microsoft's certificate authorities: your network inspects HTTPS. It works because this computer trusts that CA.`,
      fix: "Nothing to do while sign-in works. If it fails with a certificate error, see the fix for TLS inspection in the pimtray doctor documentation.",
      data,
    };
  const looked = results.filter((r) => r.peer);
  return {
    id,
    title,
    status: looked.length ? "ok" : "skip",
    detail: looked.length
      ? customEndpoints
        ? "No certificate error (custom endpoints: their issuer is not compared with Microsoft's)."
        : "No sign of TLS inspection: certificates are issued by the services' own certificate authorities."
      : "Not checked: no certificate could be read.",
    fix: null,
    data,
  };
}

/** Clock skew against the servers' Date headers: tokens are refused beyond about 5 minutes. */
export function clockCheck(results: ReachResult[]): Check {
  const id = "clock";
  const title = "Clock";
  const skews = results
    .filter((r) => r.serverDate && Number.isFinite(Date.parse(r.serverDate)))
    .map((r) => Date.parse(r.serverDate as string) - r.at);
  if (!skews.length)
    return { id, title, status: "skip", detail: "Not checked: no server answered with its time.", fix: null };
  // The Date header has whole seconds, and the answer took time to arrive: the smallest difference counts.
  const skewMs = skews.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a));
  const abs = Math.abs(skewMs);
  const minutes = (abs / 60_000).toFixed(1);
  const ahead = skewMs < 0 ? "ahead of" : "behind";
  const data = { skewSeconds: Math.round(skewMs / 1000) };
  const fix =
    "Turn on automatic date and time (time synchronisation) on this computer, and check its time zone: Microsoft Entra ID refuses tokens from a clock more than 5 minutes off.";
  if (abs > 5 * 60_000)
    return {
      id,
      title,
      status: "fail",
      detail: `This computer's clock is ${minutes} minutes ${ahead} the servers'.`,
      fix,
      data,
    };
  if (abs > 2 * 60_000)
    return {
      id,
      title,
      status: "warn",
      detail: `This computer's clock is ${minutes} minutes ${ahead} the servers'.`,
      fix,
      data,
    };
  return {
    id,
    title,
    status: "ok",
    detail: `Within ${Math.max(1, Math.round(abs / 1000))} s of the servers' clocks.`,
    fix: null,
    data,
  };
}

/** Whether a proxy is in use, and for which endpoints. */
export function proxyCheck(setting: ProxySetting, results: ReachResult[]): Check {
  const id = "proxy";
  const title = "Proxy";
  const through = results.filter((r) => r.proxy).map((r) => new URL(r.url).host);
  const direct = results.filter((r) => !r.proxy).map((r) => new URL(r.url).host);
  const data = { source: setting.source, url: setting.url, noProxy: setting.noProxy, through, direct };
  if (!setting.url)
    return {
      id,
      title,
      status: "ok",
      detail:
        setting.source === "system"
          ? "The system's proxy settings send every endpoint directly (no proxy)."
          : "No proxy: HTTPS_PROXY and HTTP_PROXY are not set, so every endpoint is reached directly.",
      fix: null,
      data,
    };
  const from = setting.source === "env" ? "HTTPS_PROXY/HTTP_PROXY" : "the system's proxy settings";
  const parts = [`Requests go through ${setting.url} (from ${from})`];
  if (through.length) parts.push(`for ${through.join(", ")}`);
  if (direct.length)
    parts.push(`; ${direct.join(", ")} directly${setting.noProxy ? ` (NO_PROXY=${setting.noProxy})` : ""}`);
  return { id, title, status: "ok", detail: `${parts.join(" ")}.`, fix: null, data };
}
