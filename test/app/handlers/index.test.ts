// The handler table covers the contract: every channel has exactly one handler, each feature file
// holds its own prefix, and leaving a channel out does not typecheck.
import { describe, expect, it } from "vitest";
import { approvalHandlers } from "../../../electron/app/handlers/approvals.js";
import { authHandlers } from "../../../electron/app/handlers/auth.js";
import type { HandlerTable } from "../../../electron/app/handlers/handler.js";
import { HANDLERS, READ_ONLY } from "../../../electron/app/handlers/index.js";
import { pimHandlers } from "../../../electron/app/handlers/pim.js";
import { profileHandlers } from "../../../electron/app/handlers/profiles.js";
import { settingsHandlers } from "../../../electron/app/handlers/settings.js";
import { shellHandlers } from "../../../electron/app/handlers/shell.js";
import { CHANNELS } from "../../../electron/shared/ipc-contract.js";

describe("the handler table", () => {
  it("has one handler for every channel of the contract, and nothing else", () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...CHANNELS].sort());
    for (const c of CHANNELS) expect(typeof HANDLERS[c], c).toBe("function");
  });

  it("groups the handlers by feature, each file owning its channels' prefix", () => {
    const features = {
      auth: authHandlers,
      pim: pimHandlers,
      profiles: profileHandlers,
      settings: settingsHandlers,
      "app|shell": shellHandlers,
      approvals: approvalHandlers,
    };
    const seen: string[] = [];
    for (const [prefixes, table] of Object.entries(features)) {
      for (const channel of Object.keys(table)) expect(prefixes.split("|"), channel).toContain(channel.split(":")[0]);
      seen.push(...Object.keys(table));
    }
    expect(seen.sort()).toEqual([...CHANNELS].sort());
  });

  it("does not typecheck when a channel has no handler", () => {
    const { "app:hide": hide, ...withoutHide } = HANDLERS;
    // @ts-expect-error: app:hide is missing, so this is not a HandlerTable (npm run typecheck fails if it were).
    const incomplete: HandlerTable = withoutHide;
    expect(Object.keys(incomplete)).not.toContain("app:hide");
    expect(hide).toBe(HANDLERS["app:hide"]);
  });

  it("marks as read-only only channels that change nothing", () => {
    expect([...READ_ONLY].sort()).toEqual([
      // The doctor's checks look and change nothing; export writes a file, so it is not here.
      "app:doctor",
      "app:get-state",
      "app:hide",
      // A read; what a refresh finds reaches the popup through the lifecycle's own state push.
      "approvals:list",
      "pim:eligible",
      "shell:open-external",
    ]);
  });
});
