import type { Target } from "../../engine/activation/activation-service.js";
import { PimTrayError } from "../../engine/errors.js";
import { refOf, type TargetRef } from "../../engine/planes/targets.js";
import type { Eligibility } from "../../engine/planes/targets.js";
import { EligibleRead } from "../eligible-read.js";
import { namesFor, planeTargetFor } from "../plane-targets.js";
import {
  eligibleListViews,
  eligibleViews,
  outcomeView,
  pendingNames,
  planeStatusViews,
  type PictureRows,
} from "../view-model.js";
import type { ParsedRequest } from "../../shared/ipc-contract.js";
import type { FeatureHandlers, HandlerContext } from "./handler.js";

// PIM from the popup, on every plane: the eligibility list, activate, deactivate, cancel a request,
// each plane's state, and the scopes below an Azure eligibility (the scope picker). Groups are
// named as they always were (groupId, accessId); roles and Azure roles by `target`.

/** How long a list read ahead at sign-in stays good enough to answer the popup's first pim:eligible. */
const READ_AHEAD_MS = 30_000;

type TargetRequest = Pick<ParsedRequest<"pim:activate">, "groupId" | "accessId" | "target">;

/** The request's target as a reference; the contract lets through exactly one of the two forms. */
function refOfRequest(r: TargetRequest): TargetRef {
  if (r.target) return refOf(r.target);
  return { groupId: (r.groupId ?? "").toLowerCase(), accessId: r.accessId ?? "member" };
}

/** What an activation acts on, named from the list the popup loaded (read again only if it is not in it). */
async function activationTarget(r: TargetRequest, { engine, eligibleNames }: HandlerContext): Promise<Target> {
  const ref = refOfRequest(r);
  if (ref.kind === "role" || ref.kind === "azure") {
    // The scope picker's name for a child scope; an eligibility's own scope is named from PIM.
    const childName = r.target?.kind === "azure" ? r.target.scopeName : undefined;
    let target = planeTargetFor(eligibleNames.all(), ref, childName);
    if (!target) {
      eligibleNames.remember(await engine.planes.eligibilities());
      target = planeTargetFor(eligibleNames.all(), ref, childName);
    }
    if (!target)
      throw new PimTrayError(
        "not-found",
        "You are not eligible for that role at that scope any more. Refresh the list.",
      );
    return target;
  }
  const { groupId, accessId } = ref;
  if (eligibleNames.get(groupId, accessId) === undefined) eligibleNames.remember(await engine.pim.eligibilities());
  const groupName = eligibleNames.get(groupId, accessId);
  if (!groupName)
    throw new PimTrayError("not-found", "You are not eligible for that group any more. Refresh the list.");
  return { groupId, accessId, groupName };
}

export const pimHandlers = {
  "pim:eligible": async (r, { engine, eligibleNames }) => {
    // An older list's later parts must not follow this one's answer to the popup.
    eligibleNames.stopFollowing();
    if (r?.refresh) engine.planes.invalidatePolicies();
    if (r?.policies !== "later") {
      const rows = await engine.eligibleWithPolicies();
      eligibleNames.remember(rows.map((row) => row.eligibility));
      eligibleNames.policies.remember(rows);
      return eligibleViews(rows);
    }
    // The list at once (read ahead since the sign-in, if that was a moment ago), as soon as its first page is
    // in: the rest follows in pim:eligible-rows pushes and its policies in pim:policies-read pushes, so a long
    // list is held up neither by its last pages nor by its policies.
    const fresh = () => new EligibleRead((onPart) => engine.planes.eligibilities(onPart));
    const ahead = r.refresh ? null : eligibleNames.takeAhead(READ_AHEAD_MS);
    let read = ahead ?? fresh();
    const first = await read.first().catch(async (e: unknown) => {
      if (!ahead) throw e;
      // The read ahead failed (an expired session then, a network blip): read again, once.
      read = fresh();
      return read.first();
    });
    const shown = (list: Eligibility[]) => {
      eligibleNames.remember(list);
      eligibleNames.policies.fill(engine.planes, list);
    };
    shown(first.list);
    eligibleNames.follow(first.complete ? null : read, shown);
    return eligibleListViews(first.list, (e) => eligibleNames.policies.viewOf(e));
  },
  "pim:policies": async (r, { engine, eligibleNames }) =>
    eligibleNames.policies.read(
      engine.planes,
      r.keys.flatMap((k) => eligibleNames.byKey(k) ?? []),
    ),
  "pim:activate": async (r, ctx) => {
    const { engine, lifecycle } = ctx;
    const outcome = await engine.activation.activate(
      {
        target: await activationTarget(r, ctx),
        durationMs: r.durationMinutes * 60_000,
        ...(r.justification?.trim() ? { justification: r.justification } : {}),
        ...(r.ticket ? { ticket: r.ticket } : {}),
        ...(r.startAt ? { startAt: new Date(r.startAt) } : {}),
        ...(r.validateOnly ? { validateOnly: true } : {}),
      },
      { waitFor: "provisioned", timeoutMs: 60_000 },
    );
    if (!r.validateOnly) await engine.rememberJustification(r.justification);
    await lifecycle.refresh("activated");
    return outcomeView(outcome);
  },
  "pim:deactivate": async (r, { engine, lifecycle }) => {
    const ref = refOfRequest(r);
    // A group the picture does not know keeps the id it was asked by as its name, as it always did.
    const active: PictureRows["active"] = lifecycle.picture.active;
    const named = namesFor(active, ref, r.groupId);
    const outcome = await engine.activation.deactivate(named);
    await lifecycle.refresh("deactivated");
    return outcomeView(outcome);
  },
  "pim:cancel": async (r, { engine, lifecycle, state }) => {
    const pending: PictureRows["pending"] = lifecycle.picture.pending;
    const request = pending.find((p) => p.id === r.requestId);
    if (request) await engine.activation.cancel(r.requestId, pendingNames(request));
    else await engine.activation.cancel(r.requestId);
    await lifecycle.refresh("canceled");
    return state();
  },
  "pim:planes": async (_r, { engine }) =>
    planeStatusViews(engine.planes.status(), (await engine.settings.load()).planes),
  "pim:azure-scopes": async (r, { engine }) => {
    // Never ask ARM for a plane that is off, or has no endpoint with this connection.
    const azure = engine.planes.clients.azure;
    if (engine.connection.armBaseUrl === null)
      throw new PimTrayError("usage", "Azure roles are not available with this connection.");
    if (!(await engine.settings.load()).planes.azure)
      throw new PimTrayError("usage", "Azure roles are turned off in Settings.");
    return (await azure.childScopes(r.scope)).map((s) => ({ id: s.id, name: s.name, type: s.type }));
  },
} satisfies FeatureHandlers<"pim">;
