import { sendJson } from "../http.js";
import { applySelect, paginate, parseExpand, parseSelect } from "../odata.js";
import { type GraphCall, nextLink } from "./common.js";
import { groupJson, userJson } from "./directory.js";

/** One page of a PIM collection, with `$select`, `$expand=group,principal` and a next link. */
export function sendCollection(
  { ctx, pim, deps }: GraphCall,
  contextPath: string,
  all: Array<Record<string, unknown>>,
  typeName: string,
): void {
  const expand = parseExpand(ctx.query.get("$expand"), ["group", "principal"], typeName);
  const select = parseSelect(ctx.query.get("$select"));
  const page = paginate(all, ctx.query, deps.settings.pageSize);
  const value = page.items.map((item) => {
    const out = applySelect(item, select);
    for (const x of expand) {
      if (x.name === "group") {
        const g = pim.group(String(item.groupId));
        out.group = deps.settings.emptyGroupExpansion || !g ? null : applySelect(groupJson(g), x.select);
      } else {
        const u = pim.user(String(item.principalId));
        out.principal = u ? applySelect({ "@odata.type": "#microsoft.graph.user", ...userJson(u) }, x.select) : null;
      }
    }
    return out;
  });
  const body: Record<string, unknown> = { "@odata.context": `${ctx.origin}/v1.0/$metadata#${contextPath}`, value };
  if (page.nextSkip !== null) body["@odata.nextLink"] = nextLink(ctx, page.nextSkip);
  sendJson(ctx, 200, body);
}
