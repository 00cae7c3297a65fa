// What the request log keeps of a body: secrets never reach it.
import { describe, expect, it } from "vitest";
import { loggedBody, REDACTED } from "../../emulator/request-log.js";

describe("loggedBody", () => {
  it("redacts secret form fields and keeps the rest", () => {
    const form = "grant_type=refresh_token&refresh_token=secret&client_id=abc";
    expect(loggedBody(form, "application/x-www-form-urlencoded; charset=utf-8")).toEqual({
      grant_type: "refresh_token",
      refresh_token: REDACTED,
      client_id: "abc",
    });
  });

  it("parses JSON, cuts other text to 2000 characters, and keeps nothing for no body", () => {
    expect(loggedBody('{"a":1}', "application/json")).toEqual({ a: 1 });
    expect(loggedBody("x".repeat(3000), "text/plain")).toBe("x".repeat(2000));
    expect(loggedBody("", "application/json")).toBeNull();
  });
});
