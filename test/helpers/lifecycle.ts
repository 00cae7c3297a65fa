import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MemoryPersistence } from "../../electron/engine/auth/token-cache.js";
import type { Engine } from "../../electron/engine/engine.js";
import { createLifecycle } from "../../electron/engine/lifecycle-wiring.js";
import { HistoryLog } from "../../electron/engine/history/history-log.js";
import type { LifecycleEvent } from "../../electron/engine/lifecycle/events.js";
import type { LifecycleOptions, LifecycleService } from "../../electron/engine/lifecycle/lifecycle-service.js";
import type { RunningEmulator } from "../../emulator/index.js";
import { engineAgainst } from "./engine.js";
import { EmulatorClockForTests } from "./fake-clock.js";

/** An engine signed in as `user`, and a lifecycle service on the emulator's clock. */
export class LifecycleHarness {
  readonly dir: string;
  readonly persistence = new MemoryPersistence();
  engine!: Engine;
  service!: LifecycleService;
  clock!: EmulatorClockForTests;
  readonly events: LifecycleEvent[] = [];

  constructor(
    readonly emu: RunningEmulator,
    dir?: string,
  ) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), "pimtray-lifecycle-"));
  }

  async build(
    options: { signIn?: string | null; lifecycle?: LifecycleOptions; persistence?: MemoryPersistence } = {},
  ): Promise<this> {
    const history = new HistoryLog(join(this.dir, "history.jsonl"));
    this.engine = await engineAgainst(this.emu, this.dir, {
      user: null,
      overrides: {
        persistence: options.persistence ?? this.persistence,
        history,
        allowInteraction: false,
        // HTTP retry waits would be real time; the service's own backoff runs on the test clock.
        sleep: async () => undefined,
      },
    });
    this.clock = new EmulatorClockForTests(this.emu.emulator, () => this.service.idle());
    this.service = createLifecycle(this.engine, {
      stateDir: this.dir,
      clock: this.clock,
      ...(options.lifecycle ? { options: options.lifecycle } : {}),
    });
    this.service.on((e) => this.events.push(e));
    const user = options.signIn === undefined ? "adele" : options.signIn;
    if (user) await this.signIn(user);
    return this;
  }

  async signIn(user: string): Promise<void> {
    await this.emu.control.configure({ deviceCodeAutoApprove: user, deviceCodeIntervalSeconds: 0 });
    await this.engine.auth.signIn({ method: "device-code" });
  }

  /** Event types with group names, in order: easy to assert on. */
  summary(): string[] {
    return this.events.map((e) =>
      "target" in e
        ? `${e.type} ${e.target.groupName}`
        : "profile" in e && e.type === "keep-active-stopped"
          ? `${e.type} ${e.profile}`
          : e.type,
    );
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
