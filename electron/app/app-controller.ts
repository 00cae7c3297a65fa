import type { Engine } from "../engine/engine.js";
import { ConsentRequiredError, PimTrayError } from "../engine/errors.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import { notificationFor } from "../engine/notify/texts.js";
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
import { appStateView } from "./view-model.js";

// Everything behind the IPC contract, free of Electron: the Electron IPC adapter and the preview
// harness both call invoke(). Payloads are validated here, because the renderer is untrusted; each
// channel's work is its handler's (handlers/), and each handler gets its payload as zod parsed it.

export type { AppPlatform, TokenStorageControl } from "./handlers/handler.js";

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

  focus(groupId: string | null): void {
    this.#push("app:focus", { groupId });
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
    return appStateView(
      this.lifecycle.picture,
      await this.engine.settings.load(),
      this.engine.connection,
      this.platform.tokenStorage,
      this.engine.planes.status(),
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
