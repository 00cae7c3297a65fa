import type { Engine } from "../engine/engine.js";
import { ConsentRequiredError, PimTrayError } from "../engine/errors.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import type { DesktopNotification } from "../engine/notify/notifier.js";
import { notificationFor } from "../engine/notify/texts.js";
import { targetKey } from "../engine/planes/targets.js";
import {
  isChannel,
  validateRequest,
  type AppState,
  type Channel,
  type Pushes,
  type PushChannel,
  type Responses,
  type Result,
} from "../shared/ipc-contract.js";
import { EligibleNames, type AppPlatform, type HandlerContext } from "./handlers/handler.js";
import { changesState, HANDLERS } from "./handlers/index.js";
import { effectiveOf, organisationView } from "./organisation.js";
import { appStateView, eligibleListViews } from "./view-model.js";

// Everything behind the IPC contract, free of Electron: the Electron IPC adapter and the preview
// harness both call invoke(). Payloads are validated here, because the renderer is untrusted; each
// channel's work is its handler's (handlers/), and each handler gets its payload as zod parsed it.

export type { AppPlatform, TokenStorageControl } from "./handlers/handler.js";

/** What the popup opens on: a card (a group's id, a role's target key), or a request to approve. */
export type Focus = Pushes["app:focus"];
export type FocusApproval = NonNullable<Focus["approval"]>;

/**
 * What clicking a notification (`actionId` null) or one of its buttons opens the popup on, on every
 * front end that shows notifications. A request to approve opens on that request, with the decision
 * the button asked for (null: the person chooses there, and gives the reason). Renew is no focus: null.
 */
export function notificationFocus(n: DesktopNotification, actionId: string | null): Focus | null {
  if (n.approval) {
    const decision =
      actionId === "approve" ? "Approve" : actionId === "deny" ? "Deny" : actionId === null ? null : undefined;
    return decision === undefined ? null : { groupId: null, approval: { ...n.approval, decision } };
  }
  if (actionId !== null) return null;
  if (!n.target) return { groupId: null };
  // A group's card is its id (as before there were planes); a role's is its target key.
  return { groupId: n.target.kind === "role" || n.target.kind === "azure" ? targetKey(n.target) : n.target.groupId };
}

export class AppController {
  #pushListeners = new Set<<P extends PushChannel>(channel: P, data: Pushes[P]) => void>();
  readonly #context: HandlerContext;

  constructor(
    private readonly engine: Engine,
    private readonly lifecycle: LifecycleService,
    private readonly platform: AppPlatform,
    private readonly logger: Logger,
  ) {
    this.#context = { engine, lifecycle, platform, eligibleNames: new EligibleNames(), state: () => this.state() };
    // The list's policies as the background fill reads them (pim:eligible with policies "later").
    this.#context.eligibleNames.policies.on((p) => this.#push("pim:policies-read", p));
    // The rest of a long list, after its first part answered pim:eligible.
    this.#context.eligibleNames.onRows((s) =>
      this.#push("pim:eligible-rows", {
        rows: eligibleListViews(s.list, (e) => this.#context.eligibleNames.policies.viewOf(e)),
        complete: s.complete,
        ...(s.error ? { error: s.error } : {}),
      }),
    );
    lifecycle.onState(() => void this.#pushState());
    lifecycle.on((e) => {
      const text = notificationFor(e, Date.now());
      if (text)
        this.#push("app:event", {
          type: e.type,
          title: text.title,
          body: text.body,
          groupId: "target" in e && e.target.kind !== "role" && e.target.kind !== "azure" ? e.target.groupId : null,
        });
    });
  }

  onPush(listener: <P extends PushChannel>(channel: P, data: Pushes[P]) => void): () => void {
    this.#pushListeners.add(listener);
    return () => this.#pushListeners.delete(listener);
  }

  /** Stops the background work it started (the list's policy reads), for a front end that shuts down. */
  close(): void {
    this.#context.eligibleNames.policies.clear();
  }

  /**
   * Shows an item in the popup: a card by `groupId`, a request to approve (a plain click has decision null), or
   * the Troubleshoot view (`view: "troubleshoot"`, which runs the checks).
   */
  focus(f: Focus): void {
    this.#push("app:focus", {
      groupId: f.groupId,
      ...(f.approval ? { approval: f.approval } : {}),
      ...(f.view ? { view: f.view } : {}),
    });
  }

  #push<P extends PushChannel>(channel: P, data: Pushes[P]): void {
    for (const l of this.#pushListeners) l(channel, data);
  }

  async #pushState(): Promise<void> {
    try {
      this.#push("app:state", await this.state());
    } catch (e) {
      this.logger.warn("could not build the app state", e);
    }
  }

  async state(): Promise<AppState> {
    // The effective settings (policy applied) and what the organisation set, from one read.
    const effective = await effectiveOf(this.engine.settings);
    return appStateView(
      this.lifecycle.picture,
      effective.settings,
      this.engine.connection,
      this.platform.tokenStorage,
      this.engine.planes.status(),
      organisationView(effective),
    );
  }

  /** The single entry point for every channel: validate, dispatch, and turn errors into plain words. */
  async invoke(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) return { ok: false, error: { kind: "usage", message: "Unknown request." } };
    return this.#handle(channel, payload);
  }

  async #handle<C extends Channel>(channel: C, payload: unknown): Promise<Result<Responses[C]>> {
    const v = validateRequest(channel, payload);
    if (!v.ok) return { ok: false, error: { kind: "usage", message: v.message } };
    try {
      const value = await HANDLERS[channel](v.value, this.#context);
      // Every view of the popup (and the tray menu) follows state pushes after a change.
      if (changesState(channel)) void this.#pushState();
      return { ok: true, value };
    } catch (e) {
      if (e instanceof PimTrayError) {
        this.logger.warn(`${channel} failed: ${e.message}`, e.cause);
        return {
          ok: false,
          error: {
            kind: e.kind,
            message: e.message,
            ...(e instanceof ConsentRequiredError ? { adminConsentUrl: e.facts.adminConsentUrl } : {}),
          },
        };
      }
      this.logger.error(`${channel} crashed`, e);
      return {
        ok: false,
        error: {
          kind: "internal",
          message: "Something went wrong inside PIM Tray. Try again; the details are in the log.",
        },
      };
    }
  }
}
