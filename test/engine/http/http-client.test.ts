// The HTTP layer's retry rules, with a scripted fetch and a recorded (not real) sleep.
import { describe, expect, it } from "vitest";
import {
  HttpClient,
  OutcomeUnknownError,
  parseRetryAfter,
  type FetchLike,
} from "../../../electron/engine/http/http-client.js";
import { NetworkError } from "../../../electron/engine/errors.js";

type Step = { status: number; headers?: Record<string, string> } | Error;

function scripted(steps: Step[]) {
  const calls: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push(`${init.method} ${url}`);
    const step = steps.shift();
    if (!step) throw new Error("no more steps");
    if (step instanceof Error) throw step;
    const headers = step.headers ?? {};
    return {
      status: step.status,
      headers: { forEach: (cb) => Object.entries(headers).forEach(([k, v]) => cb(v, k)) },
      text: async () => "{}",
    };
  };
  const slept: number[] = [];
  return { fetch, calls, slept, sleep: async (ms: number) => void slept.push(ms) };
}

describe("HttpClient", () => {
  it("honours Retry-After on 429 for GETs", async () => {
    const s = scripted([{ status: 429, headers: { "retry-after": "3" } }, { status: 200 }]);
    const http = new HttpClient(s.fetch, { sleep: s.sleep, random: () => 0.5 });
    expect((await http.send({ method: "GET", url: "https://x/a" })).status).toBe(200);
    expect(s.slept).toEqual([3000]);
  });

  it("backs off exponentially with jitter when no Retry-After is given", async () => {
    const s = scripted([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }]);
    const http = new HttpClient(s.fetch, { sleep: s.sleep, random: () => 1, baseDelayMs: 500 });
    await http.send({ method: "GET", url: "https://x/a" });
    expect(s.slept).toEqual([500, 1000, 2000]);
  });

  it("retries a POST on 429/503 only, never on 500 or 504", async () => {
    const a = scripted([{ status: 503, headers: { "retry-after": "1" } }, { status: 201 }]);
    expect(
      (await new HttpClient(a.fetch, { sleep: a.sleep }).send({ method: "POST", url: "https://x/p", body: "{}" }))
        .status,
    ).toBe(201);
    for (const status of [500, 504]) {
      const b = scripted([{ status }, { status: 201 }]);
      expect(
        (await new HttpClient(b.fetch, { sleep: b.sleep }).send({ method: "POST", url: "https://x/p" })).status,
      ).toBe(status);
      expect(b.calls).toHaveLength(1);
    }
  });

  it("throws OutcomeUnknownError when a POST fails in transit, without retrying it", async () => {
    const s = scripted([
      new TypeError("fetch failed", { cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) }),
    ]);
    const err = await new HttpClient(s.fetch, { sleep: s.sleep })
      .send({ method: "POST", url: "https://x/p" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect((err as Error).message).toContain("ECONNRESET");
    expect(s.calls).toHaveLength(1);
  });

  it("retries GETs on network errors, then gives up with a message naming the host", async () => {
    const s = scripted(Array.from({ length: 3 }, () => new TypeError("fetch failed")));
    const err = await new HttpClient(s.fetch, { sleep: s.sleep, maxAttempts: 3 })
      .send({ method: "GET", url: "https://graph.example/x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toContain("Could not reach graph.example");
    expect(s.calls).toHaveLength(3);
  });

  it("caps an absurd Retry-After", async () => {
    const s = scripted([{ status: 429, headers: { "retry-after": "86400" } }, { status: 200 }]);
    await new HttpClient(s.fetch, { sleep: s.sleep, maxRetryAfterMs: 60_000 }).send({
      method: "GET",
      url: "https://x/a",
    });
    expect(s.slept).toEqual([60_000]);
  });

  it("times out a hung request", async () => {
    const fetch: FetchLike = (_url, init) =>
      new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(init.signal.reason)));
    const err = await new HttpClient(fetch, { timeoutMs: 50, maxAttempts: 1 })
      .send({ method: "GET", url: "https://x/a" })
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain("timed out");
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("7", 0)).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
  });
});
