// A stand-in `notify-send` on PATH for the notify-send notifier's tests: a small shell script in a temp
// folder. Each run records its argv (NUL-separated, so any character survives) and waits, as libnotify's
// does with --action, until the test answers for the person: an action name (printed on stdout), a
// dismissal (nothing printed) or a failure (exit 1, as without a session bus). SIGINT closes it, as it
// closes libnotify's notification. `--help` prints libnotify 0.8's option list, or 0.7's without actions.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

const HELP_08 = `Usage:
  notify-send [OPTION…] <SUMMARY> [BODY] - create a notification

Application Options:
  -u, --urgency=LEVEL               Specifies the urgency level (low, normal, critical).
  -a, --app-name=APP_NAME           Specifies the app name for the icon
  -w, --wait                        Wait for the notification to be closed before exiting.
  -A, --action=[NAME=]Text...       Specifies the actions to display to the user.
  -v, --version                     Version of the package.`;

const HELP_07 = `Usage:
  notify-send [OPTION…] <SUMMARY> [BODY] - create a notification

Application Options:
  -u, --urgency=LEVEL               Specifies the urgency level (low, normal, critical).
  -a, --app-name=APP_NAME           Specifies the app name for the icon
  -v, --version                     Version of the package.`;

export interface FakeCall {
  pid: string;
  argv: string[];
}

export class FakeNotifySend {
  readonly dir = mkdtempSync(join(tmpdir(), "pimtray-notify-send-"));
  readonly bin = join(this.dir, "bin");
  readonly state = join(this.dir, "state");

  /** `version` "0.7": a notify-send without --action; "fail": every notification fails (no session bus). */
  constructor(version: "0.8" | "0.7" | "fail" = "0.8") {
    for (const d of [this.bin, this.state]) mkdirSync(d);
    writeFileSync(join(this.dir, "help.txt"), version === "0.7" ? HELP_07 : HELP_08);
    const script = [
      "#!/bin/sh",
      `S='${this.state}'`,
      // First, so that once a run is recorded, SIGINT closes it rather than killing it.
      `trap 'echo closed > "$S/closed.$$"; echo "Wait cancelled, closing notification" >&2; exit 0' INT`,
      `if [ "$1" = "--help" ]; then echo x >> "$S/help-calls"; cat '${join(this.dir, "help.txt")}'; exit 0; fi`,
      'for a in "$@"; do printf "%s\\0" "$a"; done > "$S/argv.$$.tmp" && mv "$S/argv.$$.tmp" "$S/argv.$$"',
      'echo $$ >> "$S/order"',
      version === "fail" ? 'echo "Cannot autolaunch D-Bus without X11 $DISPLAY" >&2; exit 1' : "",
      'while [ ! -e "$S/answer.$$" ]; do sleep 0.02; done',
      'a=$(cat "$S/answer.$$")',
      'case "$a" in dismiss) exit 0 ;; fail) echo "GDBus.Error: no daemon" >&2; exit 1 ;; *) printf "%s\\n" "$a" ;; esac',
    ].join("\n");
    const path = join(this.bin, "notify-send");
    writeFileSync(path, script + "\n");
    chmodSync(path, 0o755);
  }

  /** An environment whose PATH finds this notify-send first (sleep, cat and mv still come from the system). */
  env(): NodeJS.ProcessEnv {
    return { PATH: [this.bin, process.env.PATH ?? "/usr/bin:/bin"].join(delimiter), LANG: "C.UTF-8" };
  }

  /** The notifications shown so far, in the order their scripts got going (not always the order they were spawned). */
  calls(): FakeCall[] {
    const order = join(this.state, "order");
    if (!existsSync(order)) return [];
    return readFileSync(order, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((pid) => ({
        pid,
        argv: readFileSync(join(this.state, `argv.${pid}`), "utf8")
          .split("\0")
          .slice(0, -1),
      }));
  }

  /** The notify-send showing the title (the argument after `--`). */
  pidFor(title: string): string {
    const found = this.calls().filter((c) => c.argv[c.argv.indexOf("--") + 1] === title);
    if (found.length !== 1) throw new Error(`${found.length} notify-send runs show "${title}"`);
    return found[0]?.pid ?? "";
  }

  helpCalls(): number {
    const f = join(this.state, "help-calls");
    return existsSync(f) ? readFileSync(f, "utf8").split("\n").filter(Boolean).length : 0;
  }

  /** Answers for the person: an action's name, "dismiss" or "fail". */
  answer(pid: string, what: string): void {
    // Whole or not at all: the script polls for the name.
    writeFileSync(join(this.state, `answer.${pid}.tmp`), what);
    renameSync(join(this.state, `answer.${pid}.tmp`), join(this.state, `answer.${pid}`));
  }

  closedBySignal(pid: string): boolean {
    return existsSync(join(this.state, `closed.${pid}`));
  }

  /** Once every run has ended (a run just closed may still be writing its closed.<pid>), removes the folder. */
  async cleanup(): Promise<void> {
    const alive = (pid: string) => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    };
    await until("the stand-in's runs to end", () => !this.calls().some((c) => alive(c.pid)), 10_000).catch(() => {
      for (const c of this.calls()) if (alive(c.pid)) process.kill(Number(c.pid), "SIGKILL");
    });
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
  }
}

/** Polls `ok` until it holds, or fails naming `what`. */
export async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
