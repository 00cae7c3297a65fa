// Directory objects: /me and /groups, and the user and group shapes that `$expand` reuses.
import { sendJson } from "../http.js";
import type { EmulatedGroup, EmulatedUser } from "../model.js";
import { applySelect, matches, paginate, parseFilter, parseSelect } from "../odata.js";
import { type GraphCall, nextLink, READ_GROUP, READ_USER, requireScope } from "./common.js";
import { GraphFault, methodNotAllowed } from "./fault.js";

export function groupJson(g: EmulatedGroup) {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    mailNickname: g.mailNickname,
    mail: g.mail,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    isAssignableToRole: true,
  };
}

export function userJson(u: EmulatedUser) {
  return {
    id: u.id,
    displayName: u.displayName,
    userPrincipalName: u.userPrincipalName,
    mail: u.userPrincipalName,
    givenName: u.displayName.split(" ")[0] ?? null,
    surname: u.displayName.split(" ").slice(1).join(" ") || null,
    jobTitle: null,
    officeLocation: null,
    preferredLanguage: "en-US",
    businessPhones: [],
    mobilePhone: null,
  };
}

/** GET /me */
export function routeMe({ ctx, caller, pim }: GraphCall): void {
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_USER, false);
  const me = pim.user(caller.oid);
  if (!me) throw new GraphFault(404, "Request_ResourceNotFound", "The signed-in user no longer exists.");
  sendJson(ctx, 200, {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#users/$entity`,
    ...applySelect(userJson(me), parseSelect(ctx.query.get("$select"))),
  });
}

/** GET /groups and /groups/{id}: PIM's groups and the approver groups. */
export function routeGroups({ ctx, caller, pim, deps }: GraphCall, path: string): void {
  if (ctx.method !== "GET") throw methodNotAllowed();
  requireScope(caller, READ_GROUP, false);
  const select = parseSelect(ctx.query.get("$select"));
  const id = path.split("/")[1];
  if (id !== undefined) {
    const g = pim.directoryGroup(id);
    if (!g) {
      throw new GraphFault(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    sendJson(ctx, 200, {
      "@odata.context": `${ctx.origin}/v1.0/$metadata#groups/$entity`,
      ...applySelect(groupJson(g), select),
    });
    return;
  }
  const clauses = parseFilter(ctx.query.get("$filter"), ["id", "displayName", "mail"]);
  // Every group of the directory: PIM's, then the approver groups policies name.
  const items = [...pim.tenant.groups, ...pim.tenant.approverGroups].map(groupJson).filter((g) => matches(g, clauses));
  const page = paginate(items, ctx.query, deps.settings.pageSize);
  const body: Record<string, unknown> = {
    "@odata.context": `${ctx.origin}/v1.0/$metadata#groups`,
    value: page.items.map((g) => applySelect(g, select)),
  };
  if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
  sendJson(ctx, 200, body);
}
