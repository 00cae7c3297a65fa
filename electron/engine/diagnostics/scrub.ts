import { scrub } from "../logger.js";

// Secrets out of everything an exported diagnostics file carries. The logger's scrub (tokens, bearer values,
// secret fields, `code=`) first, then what a log or a report may hold from elsewhere: Authorization and
// cookie headers, client assertions and secrets under any spelling, credentials in a proxy URL.

const HEADER = /((?:^|[\s"'{,;(])(?:proxy-)?authorization"?\s*[:=]\s*"?)[^"'\r\n]+/gim;
const COOKIE = /((?:^|[\s"'{,;(])(?:set-)?cookie"?\s*[:=]\s*"?)[^"'\r\n]+/gim;
const FIELD =
  /((?:^|[^\w])"?(?:client_?secret|client_?assertion|refresh_?token|access_?token|id_?token|assertion|password|passwd|api_?key)"?\s*[:=]\s*"?)[^"'&\s,}]+/gi;
const QUERY =
  /([?&;](?:code|client_assertion|client_secret|refresh_token|access_token|id_token|assertion|password|sig|token)=)[^&#\s"']+/gi;
const URL_CREDENTIALS = /(\b[a-z][\w+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']+@/gi;

/** A key whose value is a secret whatever it looks like. */
const SECRET_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|client_?secret|client_?assertion|refresh_?token|access_?token|id_?token|assertion|password|passwd|secret|api_?key)$/i;

/** Text with every secret replaced by [redacted] or [token]; ordinary words, paths and ids kept. */
export function scrubSecrets(text: string): string {
  return scrub(text)
    .replace(HEADER, "$1[redacted]")
    .replace(COOKIE, "$1[redacted]")
    .replace(FIELD, "$1[redacted]")
    .replace(QUERY, "$1[redacted]")
    .replace(URL_CREDENTIALS, "$1[redacted]@");
}

/** A JSON value with every string scrubbed and every secret-named field's value replaced: still valid JSON. */
export function scrubValue(value: unknown): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[scrubSecrets(k)] = SECRET_KEY.test(k) && v !== null && v !== undefined ? "[redacted]" : scrubValue(v);
    return out;
  }
  return value;
}
