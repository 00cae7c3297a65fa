import { toIsoDuration } from "../../engine/duration.js";
import { outcomeView, profileView } from "../view-model.js";
import { effectiveOf, refuseManagedProfile } from "../organisation.js";
import type { FeatureHandlers } from "./handler.js";

// Profiles from the popup: save (add or edit), delete, reorder, activate. The organisation's profiles (managed
// policy) are refused here by name before PolicedSettings would refuse the save: they can be activated, not changed.

export const profileHandlers = {
  "profiles:save": async (r, { engine }) => {
    if (r.id) refuseManagedProfile(await effectiveOf(engine.settings), r.id, "edit");
    // Every optional field is present, undefined when empty, so an edit clears what the form cleared.
    const fields = {
      name: r.name,
      targets: r.targets,
      duration: r.durationMinutes ? toIsoDuration(r.durationMinutes * 60_000) : undefined,
      justification: r.justification?.trim() || undefined,
      ticket: r.ticket,
      autoActivate: r.autoActivate,
      keepActive: r.keepActive,
      notifyLeadMinutes: r.notifyLeadMinutes?.length ? r.notifyLeadMinutes : undefined,
    };
    const saved = r.id ? await engine.profiles.edit(r.id, fields) : await engine.profiles.add(fields);
    return profileView(saved);
  },
  "profiles:delete": async (r, { engine, state }) => {
    refuseManagedProfile(await effectiveOf(engine.settings), r.id, "delete");
    await engine.profiles.remove(r.id);
    return state();
  },
  "profiles:reorder": async (r, { engine, state }) => {
    await engine.settings.update((s) => {
      const order = new Map(r.ids.map((id, i) => [id, i]));
      s.profiles.sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
    });
    return state();
  },
  "profiles:activate": async (r, { engine, lifecycle }) => {
    const profile = await engine.profiles.get(r.id);
    return (await lifecycle.activateProfile(profile, { reason: "from the popup" })).map(outcomeView);
  },
} satisfies FeatureHandlers<"profiles">;
