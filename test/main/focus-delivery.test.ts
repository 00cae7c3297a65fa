// "Open the popup on this request" reaches a popup whose page is still loading: the focus waits for
// the page's first app:get-state (it subscribes then), and goes out at once after that.
import { describe, expect, it } from "vitest";
import type { Focus } from "../../electron/app/app-controller.js";
import { FocusDelivery } from "../../electron/main/focus-delivery.js";

const on = (requestId: string, decision: "Approve" | "Deny" | null): Focus => ({
  groupId: null,
  approval: { kind: "group", requestId, decision },
});

describe("focus delivery", () => {
  it("holds the latest focus until the page listens, then sends it once; afterwards sends at once", () => {
    const sent: Focus[] = [];
    const d = new FocusDelivery((f) => sent.push(f));
    d.focus(on("a", null));
    d.focus(on("b", "Deny"));
    expect(sent).toEqual([]);
    d.listening();
    expect(sent).toEqual([on("b", "Deny")]);
    d.listening();
    expect(sent).toHaveLength(1);
    d.focus({ groupId: "g" });
    expect(sent).toEqual([on("b", "Deny"), { groupId: "g" }]);
  });
});
