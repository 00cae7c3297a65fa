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
const SECRET_FIELD = /("?(?:access_token|refresh_token|id_token|code_verifier|device_code|client_secret|secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi;

/** Removes anything token-shaped from text bound for a log, an error message or history. */
export function scrub(text: string): string {
  return text.replace(JWT, "[token]").replace(BEARER, "$1[token]").replace(SECRET_FIELD, "$1[redacted]");
}
