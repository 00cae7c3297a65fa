// The request log lets tests assert on what a client actually sent (retries, waits, no duplicate POST).
// Secrets are removed on the way in, so the log can be printed or returned without leaking tokens.

export interface LoggedRequest {
  seq: number;
  /** Epoch ms, real time (not the shifted emulator clock), so waits between requests can be measured. */
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  durationMs: number;
  fault: "status" | "drop" | null;
}

const SECRET_HEADERS = new Set(["authorization", "cookie", "set-cookie", "proxy-authorization"]);
const SECRET_FIELDS = new Set([
  "access_token",
  "refresh_token",
  "id_token",
  "code",
  "code_verifier",
  "device_code",
  "client_secret",
  "client_assertion",
  "password",
  "assertion",
]);

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(", ") : v;
    if (SECRET_HEADERS.has(k.toLowerCase())) {
      // Keep the scheme so tests can see a bearer token was sent, never the token.
      out[k] = value.startsWith("Bearer ") ? `Bearer ${REDACTED}` : REDACTED;
    } else {
      out[k] = value;
    }
  }
  return out;
}

export function redactFields(obj: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = SECRET_FIELDS.has(k.toLowerCase()) ? REDACTED : v;
  return out;
}

/** A request body as the log keeps it: form fields redacted, JSON parsed, anything else cut short. */
export function loggedBody(bodyText: string, contentType: string): unknown {
  if (!bodyText) return null;
  if (contentType.includes("application/x-www-form-urlencoded"))
    return redactFields(Object.fromEntries(new URLSearchParams(bodyText)));
  try {
    return JSON.parse(bodyText);
  } catch {
    return bodyText.slice(0, 2000);
  }
}

export class RequestLog {
  #entries: LoggedRequest[] = [];
  #seq = 0;

  constructor(private readonly limit = 20_000) {}

  add(entry: Omit<LoggedRequest, "seq">): void {
    this.#seq += 1;
    this.#entries.push({ ...entry, seq: this.#seq });
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit);
  }

  since(seq = 0): LoggedRequest[] {
    return this.#entries.filter((e) => e.seq > seq);
  }

  get lastSeq(): number {
    return this.#seq;
  }

  clear(): void {
    this.#entries = [];
  }
}
