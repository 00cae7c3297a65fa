import { join } from "node:path";
import { systemClock } from "../engine/lifecycle/clock.js";
import type { LifecycleEvent } from "../engine/lifecycle/events.js";
import { FileStateStore } from "../engine/lifecycle/lifecycle-state.js";
import { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import { NodeNotifier } from "../engine/notify/node-notifier.js";
import { lineFor, notificationFor } from "../engine/notify/texts.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { localTime } from "./output.js";

/**
 * `pimtray watch`: the lifecycle service in the foreground, for desktops without a tray and for
 * terminals. One line per event (JSON lines with --json), desktop notifications, auto-activation.
 */
export async function cmdWatch(ctx: CliContext, o: { notify?: boolean; autoActivate?: boolean }): Promise<number> {
  const { engine, out, logger } = ctx;
  const service = new LifecycleService({
    pim: engine.pim,
    activation: engine.activation,
    auth: engine.auth,
    profiles: engine.profiles,
    settings: ctx.store,
    store: new FileStateStore(join(ctx.configDir, "lifecycle-state.json"), logger),
    history: ctx.history,
    clock: systemClock,
    logger,
  });
  const notifier = o.notify === false ? null : new NodeNotifier(logger);
  const sending = new Set<Promise<void>>();
  service.on((e: LifecycleEvent) => {
    const now = Date.now();
    if (out.json) out.write(JSON.stringify({ time: new Date(now).toISOString(), ...e }));
    else out.write(`${localTime(new Date(now).toISOString())}  ${lineFor(e, now)}`);
    if (e.type === "needs-sign-in" && !out.json) out.error("Run `pimtray login` (or `pimtray login --device-code`) in another terminal; this watch picks it up.");
    const text = notificationFor(e, now);
    if (notifier && text) {
      const p = notifier.notify({ id: `${e.type}:${"target" in e ? `${e.target.groupId}:${e.target.accessId}` : ""}`, ...text, ...("target" in e ? { target: e.target } : {}) });
      sending.add(p);
      void p.finally(() => sending.delete(p));
    }
  });

  let stopping: Promise<void> | null = null;
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) return;
      if (!out.json) out.error(`Received ${signal}; stopping.`);
      stopping = service
        .stop()
        .then(() => Promise.allSettled([...sending]))
        .then(() => resolve());
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });

  const account = await engine.auth.currentAccount();
  if (!out.json) out.error(account ? `Watching PIM activations for ${account.username}. Press Ctrl+C to stop.` : "Watching; not signed in yet.");
  await service.start();
  if (o.autoActivate !== false) await service.autoActivate();
  await stopped;
  return EXIT.ok;
}
