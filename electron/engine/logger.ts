// The engine logs through this interface; front ends decide where lines go (a file, stderr, nowhere).
// Callers never pass tokens; `scrub` is a second line of defence for text that came from elsewhere.

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const JWT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER = /(bearer\s+)[^\s"',]+/gi;
const SECRET_FIELD =
  /("?(?:access_token|refresh_token|id_token|code_verifier|device_code|client_secret|client_info|secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi;
// `code` only as a URL or form parameter (the auth code): in JSON, "code" is Graph's error code, which a log needs.
const CODE_PARAM = /((?:^|[?&#\s])code=)[^&#\s"]+/gi;
// Entra refresh tokens are opaque but start with a version and a dot: 0.AXEA… or 1.AXEA…
const ENTRA_REFRESH = /\b[01]\.A[\w*.-]{20,}/g;
// Other opaque secrets (the emulator's refresh tokens, auth and device codes) are long base64url runs.
const OPAQUE = /[\w-]{40,}/g;

/** A long run with upper and lower case and digits: random, not a word, path or (lower-case hex) id. */
function looksRandom(run: string): boolean {
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run);
}

/** Removes anything token-shaped from text bound for a log, an error message or history. */
export function scrub(text: string): string {
  return text
    .replace(JWT, "[token]")
    .replace(BEARER, "$1[token]")
    .replace(SECRET_FIELD, "$1[redacted]")
    .replace(CODE_PARAM, "$1[redacted]")
    .replace(ENTRA_REFRESH, "[token]")
    .replace(OPAQUE, (run) => (looksRandom(run) ? "[token]" : run));
}
