import { join } from "node:path";
import type { Engine } from "./engine.js";
import { systemClock, type Clock } from "./lifecycle/clock.js";
import { LifecycleService, type LifecycleOptions } from "./lifecycle/lifecycle-service.js";
import { FileStateStore, MemoryStateStore } from "./lifecycle/lifecycle-state.js";
import { FILES } from "./paths.js";

// The lifecycle service's wiring, apart from createEngine: a command that never watches (`pimtray status`,
// `activate`) does not load the lifecycle's modules at all (docs/cli.md, "Start-up time").

export interface LifecycleWiring {
  /** The folder for lifecycle-state.json (the config folder); null keeps that state in memory (benchmarks). */
  stateDir: string | null;
  /**
   * Watch stateDir for what other PIM Tray processes write there, so their changes show within 2 s:
   * the tray app and `pimtray watch` share the config folder; the preview runs alone.
   */
  watchOthers?: boolean;
  clock?: Clock;
  options?: LifecycleOptions;
}

/** The lifecycle service over an engine: the one place that gives it its state file, clock and logger. */
export function createLifecycle(engine: Engine, w: LifecycleWiring): LifecycleService {
  return new LifecycleService({
    planes: engine.planes,
    activation: engine.activation,
    approvals: engine.approvals,
    auth: engine.auth,
    profiles: engine.profiles,
    settings: engine.settings,
    store:
      w.stateDir === null
        ? new MemoryStateStore()
        : new FileStateStore(join(w.stateDir, FILES.lifecycleState), engine.logger),
    history: engine.history,
    clock: w.clock ?? systemClock,
    logger: engine.logger,
    ...(w.options ? { options: w.options } : {}),
    ...(w.watchOthers && w.stateDir !== null ? { configDir: w.stateDir } : {}),
  });
}
