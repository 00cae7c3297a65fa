import { UsageError } from "../../engine/errors.js";
import type { AccessId } from "../../engine/graph/pim-client.js";
import type { ProfileInput } from "../../engine/profiles/settings-schema.js";
import { resolveTarget } from "../../engine/resolve.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { parseAs, parseGroupSpec, parseProfileFields, parseRoleSpec, type ProfileOptions } from "../parse.js";
import { profileDetails, profilesTable } from "../present.js";
import { resolveProfileRole } from "../targets.js";
import { requireAccount } from "./auth.js";

// `pimtray profile list|show|add|edit|remove`: saved sets of groups and roles with their defaults.

/**
 * The --group, --role and --azure values as targets: each must name one eligibility on its plane
 * (--role NAME[@SCOPE], --azure ROLE@SCOPE, where SCOPE may be a child of an Azure eligibility's scope).
 */
async function profileTargets(
  ctx: CliContext,
  o: ProfileOptions,
  as: AccessId | undefined,
): Promise<ProfileInput["targets"]> {
  await requireAccount(ctx);
  const needsOthers = Boolean(o.role?.length || o.azure?.length);
  // Groups alone ask only the groups plane, as before there were planes.
  const eligibilities = needsOthers ? await ctx.engine.planes.eligibilities() : await ctx.engine.pim.eligibilities();
  const groups = (o.group ?? []).map((g) => {
    const spec = parseGroupSpec(g, as);
    const r = resolveTarget(spec.name, eligibilities, [], { as: spec.as, prefer: "group", kind: "group" });
    if (r.kind !== "group") throw new UsageError(`'${g}' is not a group.`);
    return { groupId: r.groupId, accessId: r.accessId, groupName: r.groupName };
  });
  const targets: ProfileInput["targets"] = [...groups];
  for (const v of o.role ?? []) targets.push(await resolveProfileRole(ctx, eligibilities, "role", parseRoleSpec(v)));
  for (const v of o.azure ?? []) targets.push(await resolveProfileRole(ctx, eligibilities, "azure", parseRoleSpec(v)));
  return targets;
}

const hasTargets = (o: ProfileOptions) => Boolean(o.group?.length || o.role?.length || o.azure?.length);

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
      if (!hasTargets(o)) {
        throw new UsageError(
          "A profile needs at least one group or role: add --group NAME (repeat it for more groups; NAME:owner for ownership), --role NAME[@SCOPE] or --azure ROLE@SCOPE.",
        );
      }
      const fields = parseProfileFields(o);
      const targets = await profileTargets(ctx, o, parseAs(o.as));
      const p = await svc.add({ name: n, targets, ...fields });
      if (ctx.out.json) ctx.out.write(JSON.stringify({ profile: p }));
      else {
        const n = p.targets.length;
        const groups = p.targets.every((t) => t.kind !== "role" && t.kind !== "azure")
          ? `${n} group${n === 1 ? "" : "s"}`
          : `${n} target${n === 1 ? "" : "s"}`;
        ctx.out.write(`Profile '${p.name}' saved with ${groups}. Activate it with: pimtray activate "${p.name}"`);
      }
      return EXIT.ok;
    }
    case "edit": {
      const n = need();
      const fields = parseProfileFields(o);
      if (o.name) fields.name = o.name;
      if (hasTargets(o)) fields.targets = await profileTargets(ctx, o, parseAs(o.as));
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
