import { UsageError } from "../../engine/errors.js";
import type { AccessId } from "../../engine/graph/pim-client.js";
import type { ProfileInput } from "../../engine/profiles/settings-schema.js";
import { resolveTarget } from "../../engine/resolve.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { parseAs, parseGroupSpec, parseProfileFields, type ProfileOptions } from "../parse.js";
import { profileDetails, profilesTable } from "../present.js";
import { requireAccount } from "./auth.js";

// `pimtray profile list|show|add|edit|remove`: saved sets of groups with their defaults.

/** The --group values as targets: each must name one group the person is eligible for. */
async function profileTargets(
  ctx: CliContext,
  groups: string[],
  as: AccessId | undefined,
): Promise<ProfileInput["targets"]> {
  await requireAccount(ctx);
  const eligibilities = await ctx.engine.pim.eligibilities();
  return groups.map((g) => {
    const spec = parseGroupSpec(g, as);
    const r = resolveTarget(spec.name, eligibilities, [], { as: spec.as, prefer: "group" });
    if (r.kind !== "group") throw new UsageError(`'${g}' is not a group.`);
    return { groupId: r.groupId, accessId: r.accessId, groupName: r.groupName };
  });
}

export async function cmdProfile(
  ctx: CliContext,
  action: string,
  name: string | undefined,
  o: ProfileOptions,
): Promise<number> {
  const svc = ctx.engine.profiles;
  const need = (): string => {
    if (!name) throw new UsageError(`\`pimtray profile ${action}\` needs a profile name.`);
    return name;
  };
  switch (action) {
    case "list": {
      const profiles = await svc.list();
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profiles }));
      else if (!profiles.length) {
        ctx.out.write(
          "No profiles yet. Create one: pimtray profile add NAME --group GROUP [--group GROUP…] --justification TEXT",
        );
      } else ctx.out.write(profilesTable(profiles, ctx.out));
      return EXIT.ok;
    }
    case "show": {
      const p = await svc.get(need());
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: p }));
      else ctx.out.write(profileDetails(p, ctx.settings.notifications.leadMinutes, ctx.out));
      return EXIT.ok;
    }
    case "add": {
      const n = need();
      if (!o.group?.length) {
        throw new UsageError(
          "A profile needs at least one group: add --group NAME (repeat it for more groups; NAME:owner for ownership).",
        );
      }
      const fields = parseProfileFields(o);
      const targets = await profileTargets(ctx, o.group, parseAs(o.as));
      const p = await svc.add({ name: n, targets, ...fields });
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: p }));
      else {
        const groups = `${p.targets.length} group${p.targets.length === 1 ? "" : "s"}`;
        ctx.out.write(`Profile '${p.name}' saved with ${groups}. Activate it with: pimtray activate "${p.name}"`);
      }
      return EXIT.ok;
    }
    case "edit": {
      const n = need();
      const fields = parseProfileFields(o);
      if (o.name) fields.name = o.name;
      if (o.group?.length) fields.targets = await profileTargets(ctx, o.group, parseAs(o.as));
      if (!Object.keys(fields).length) {
        throw new UsageError("Nothing to change: give the options to update, e.g. --duration 2h or --group NAME.");
      }
      const p = await svc.edit(n, fields);
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: p }));
      else ctx.out.write(`Profile '${p.name}' updated.`);
      return EXIT.ok;
    }
    case "remove": {
      const p = await svc.remove(need());
      if (ctx.out.json) ctx.out.write(JSON.stringify({ removed: p.name }));
      else ctx.out.write(`Profile '${p.name}' removed.`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown profile action '${action}'. Use list, show, add, edit or remove.`);
  }
}
