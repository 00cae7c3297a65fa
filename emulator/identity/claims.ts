/** Everything about one request's `claims` parameter that the emulator acts on. */
export interface ClaimsRequest {
  acrs: string[];
  mfa: boolean;
  xmsCc: string[];
}

export function parseClaims(raw: string | null): ClaimsRequest | "invalid" {
  const out: ClaimsRequest = { acrs: [], mfa: false, xmsCc: [] };
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return "invalid";
  }
  if (typeof parsed !== "object" || parsed === null) return "invalid";
  const at = (parsed as Record<string, unknown>).access_token;
  if (typeof at !== "object" || at === null) return out;
  const values = (c: unknown): string[] => {
    if (typeof c !== "object" || c === null) return [];
    const o = c as { value?: unknown; values?: unknown };
    const list = Array.isArray(o.values) ? o.values : o.value !== undefined ? [o.value] : [];
    return list.filter((v): v is string => typeof v === "string");
  };
  const a = at as Record<string, unknown>;
  out.acrs = values(a.acrs);
  out.mfa = values(a.amr).some((v) => v === "mfa" || v === "ngcmfa");
  out.xmsCc = values(a.xms_cc);
  return out;
}

export function stepUpRequested(c: ClaimsRequest): boolean {
  return c.mfa || c.acrs.length > 0;
}
