import { createUpdaterPort, NOT_UPDATABLE, type AppUpdaterLike } from "../adapters/updater.js";
import type { Logger } from "../engine/logger.js";
import type { EffectiveSettings } from "../engine/policy/policy-resolver.js";
import { UpdateService } from "../engine/update/update-service.js";
import { DEFAULT_UPDATE_SETTINGS, type UpdateSettings } from "../engine/update/update-settings.js";
import type { UpdateMenuItem, UpdateState } from "../engine/update/update-state.js";

// Auto-update in the running app: the update service over electron-updater's autoUpdater (the adapter loads it
// at the first check, a minute after start at the earliest, so the start to the tray never loads it), with the
// organisation's update policy, and a restart that waits for any activation request in flight.

/** The update settings policy gives; what it leaves unset (null) takes the app's defaults. */
export function updateSettingsFrom(policy: EffectiveSettings["update"]): UpdateSettings {
  return {
    mode: policy.mode ?? DEFAULT_UPDATE_SETTINGS.mode,
    feedUrl: policy.feedUrl ?? DEFAULT_UPDATE_SETTINGS.feedUrl ?? null,
    // No policy key offers prereleases: an organisation's fleet gets releases only.
    allowPrerelease: false,
  };
}

/** What a click on the tray's update item asks for. */
export type UpdateAction = NonNullable<UpdateMenuItem["action"]>;

export interface AppUpdates {
  state(): UpdateState;
  /** Returns the unsubscribe function. */
  onChange(listener: (state: UpdateState) => void): () => void;
  /** The tray's update item was clicked. */
  act(action: UpdateAction): Promise<void>;
  /** After sleep: an overdue check happens soon. */
  wake(): void;
  stop(): void;
}

export interface AppUpdatesDeps {
  /** A development run (not packaged) has no update feed: updates are disabled by the build. */
  packaged: boolean;
  policy: EffectiveSettings["update"];
  /** True while an activation request of this process is in flight; a restart waits for false. */
  busy: () => boolean;
  logger: Logger;
  /** electron-updater's autoUpdater; the adapter's own import() when not given. */
  load?: () => AppUpdaterLike | Promise<AppUpdaterLike>;
  firstCheckDelayMs?: number;
}

/**
 * The first check's delay, in ms, from PIMTRAY_UPDATE_FIRST_CHECK_MS: the composition-root tests check at once
 * instead of a minute after start. Anything that is not a whole number of ms keeps the service's default.
 */
export function firstCheckDelayFrom(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.PIMTRAY_UPDATE_FIRST_CHECK_MS;
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export function createAppUpdates(d: AppUpdatesDeps): AppUpdates {
  const settings = updateSettingsFrom(d.policy);
  if (!d.packaged && settings.mode !== "off") {
    // Nothing to check against (no app-update.yml), so nothing is loaded or asked; policy "off" still says so.
    const state: UpdateState = { kind: "disabled", by: "build", message: NOT_UPDATABLE };
    return {
      state: () => state,
      onChange: () => () => undefined,
      act: async () => undefined,
      wake: () => undefined,
      stop: () => undefined,
    };
  }
  const service = new UpdateService({
    port: createUpdaterPort({ logger: d.logger, ...(d.load ? { load: d.load } : {}) }),
    settings,
    busy: d.busy,
    logger: d.logger,
    ...(d.firstCheckDelayMs !== undefined ? { firstCheckDelayMs: d.firstCheckDelayMs } : {}),
  });
  service.start();
  return {
    state: () => service.state(),
    onChange: (l) => service.onChange(l),
    async act(action) {
      if (action === "check") await service.checkNow();
      else if (action === "cancel-restart") service.cancelRestart();
      else {
        const outcome = await service.restart();
        // Waiting for an activation shows in the menu ("once the activation finishes"); anything else is logged.
        if (!outcome.restarting && !outcome.whenIdle) d.logger.warn(`update: not restarting: ${outcome.reason}`);
      }
    },
    wake: () => service.wake(),
    stop: () => service.stop(),
  };
}
