import { execFile, spawn, type ChildProcess } from "node:child_process";
import type { Logger } from "../logger.js";
import type { DesktopNotification, Notifier } from "./notifier.js";

// libnotify's own `notify-send` (0.8 and later) as a notifier that shows buttons and reports the
// choice: the Linux path for notifications with actions, where Electron's Notification shows none and
// node-notifier's notify-send backend passes none. Each notification is one notify-send process:
// `--action` makes it wait, and it prints the chosen action's name on stdout when the person picks one.
// "default" is the freedesktop key for a click on the notification itself, so it is always offered
// (daemons do not draw it as a button). Nothing passes through a shell: the title and body are argv.

/** The freedesktop action key a daemon invokes when the notification itself is clicked. */
export const CLICK_ACTION = "default";

/** How many notifications may wait for a choice at once, unless told otherwise; past that, the oldest closes. */
export const MAX_WAITING = 10;

/** Time for a notify-send told to close (SIGINT) to do so before it is killed. */
const CLOSE_GRACE_MS = 2000;

/** More than any action name; what a misbehaving notify-send prints past this is not kept. */
const MAX_OUTPUT = 4096;

export interface NotifySendOptions {
  logger: Logger;
  /** The person chose `action` on `n`: one of its actions' ids, or CLICK_ACTION for a click on it. */
  onAction: (n: DesktopNotification, action: string) => void;
  /** `n` was closed without a choice (dismissed, expired); not told for one this notifier closed itself. */
  onDismissed?: (n: DesktopNotification) => void;
  /** Shows a notification, without its actions, where notify-send cannot offer them or fails to show it. */
  fallback: Notifier;
  /** notify-send's environment (PATH, the session bus, the display); this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** How many may wait at once (MAX_WAITING by default); a new one past that closes the oldest. */
  maxWaiting?: number;
}

/** The argv for one notification: options first, then `--` so a title that starts with "-" stays a title. */
export function notifySendArgs(n: DesktopNotification): string[] {
  return [
    "--app-name=PIM Tray",
    `--urgency=${n.urgency}`,
    ...(n.actions ?? []).map((a) => `--action=${a.id}=${a.label}`),
    `--action=${CLICK_ACTION}=Open`,
    "--",
    n.title,
    // Daemons render the body as markup (body-markup); a requester's justification is plain text, never a link.
    escapeMarkup(n.body),
  ];
}

export function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Whether the notify-send on PATH offers actions: libnotify 0.8's `--help` lists `-A, --action`
 * (0.7 has no actions and no --wait). False where there is no notify-send at all.
 */
export function notifySendSupportsActions(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("notify-send", ["--help"], { env, timeout: 5000 }, (err, stdout) =>
      resolve(!err && /--action\b/.test(stdout)),
    );
  });
}

interface Waiting {
  n: DesktopNotification;
  child: ChildProcess;
  /** Closed by this notifier (quit, too many waiting, the same event again): its end is not reported. */
  givenUp: boolean;
}

export class NotifySendNotifier implements Notifier {
  #support: Promise<boolean> | null = null;
  /** Oldest first. */
  readonly #waiting: Waiting[] = [];
  #closed = false;

  constructor(private readonly o: NotifySendOptions) {}

  /** Asked of notify-send once, at the first notification. */
  supportsActions(): Promise<boolean> {
    this.#support ??= notifySendSupportsActions(this.o.env).then((yes) => {
      this.o.logger.info(
        yes
          ? "notify-send offers actions: notifications with buttons are shown through it"
          : "notify-send offers no actions here (missing, or older than libnotify 0.8): notifications show without buttons",
      );
      return yes;
    });
    return this.#support;
  }

  /** How many notifications wait for a choice now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Resolves once notify-send has started; the wait for a choice goes on in the background. */
  async notify(n: DesktopNotification): Promise<void> {
    if (this.#closed || !(await this.supportsActions())) return this.#fallback(n);
    return this.#show(n);
  }

  /** Closes every notification still waiting (the app quits: its buttons would do nothing). */
  close(): void {
    this.#closed = true;
    for (const w of [...this.#waiting]) this.#giveUp(w);
  }

  #show(n: DesktopNotification): Promise<void> {
    return new Promise((resolve) => {
      const child = spawn("notify-send", notifySendArgs(n), {
        env: this.o.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const w: Waiting = { n, child, givenUp: false };
      let out = "";
      let err = "";
      let ended = false;
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (out = (out + d).slice(0, MAX_OUTPUT)));
      child.stderr?.setEncoding("utf8").on("data", (d: string) => (err = (err + d).slice(0, MAX_OUTPUT)));
      child.once("spawn", () => {
        this.#admit(w);
        resolve();
      });
      // Kept for the process's life: a failed kill is an "error" too, and an unheard one would throw.
      child.on("error", (e) => {
        // Only a failed start matters here (no pid); afterwards, "close" reports the end.
        if (ended || child.pid !== undefined) return;
        ended = true;
        this.o.logger.warn(`notify-send could not be started (${e.message}); showing the notification without buttons`);
        resolve(this.#fallback(n));
      });
      child.once("close", (code, signal) => {
        if (ended) return;
        ended = true;
        this.#forget(w);
        if (w.givenUp) return;
        const action = chosen(out, n);
        if (action) return this.o.onAction(n, action);
        if (code !== 0) {
          this.o.logger.warn(
            `notify-send failed (${signal ?? `exit ${code}`}: ${err.trim().split("\n").pop() ?? ""}); showing the notification without buttons`,
          );
          return void this.#fallback(n);
        }
        this.o.onDismissed?.(n);
      });
    });
  }

  #admit(w: Waiting): void {
    // The same event again (its id is stable): one notification for it, the newest.
    for (const old of this.#waiting.filter((x) => x.n.id === w.n.id)) this.#giveUp(old);
    this.#waiting.push(w);
    const max = Math.max(1, this.o.maxWaiting ?? MAX_WAITING);
    while (this.#waiting.length > max) {
      const oldest = this.#waiting[0];
      if (oldest) this.#giveUp(oldest);
    }
    // Quit while it was starting: close it at once.
    if (this.#closed) this.#giveUp(w);
  }

  #forget(w: Waiting): void {
    const i = this.#waiting.indexOf(w);
    if (i >= 0) this.#waiting.splice(i, 1);
  }

  /** SIGINT: notify-send closes its notification and exits (libnotify 0.8); killed if it has not within the grace. */
  #giveUp(w: Waiting): void {
    w.givenUp = true;
    this.#forget(w);
    w.child.kill("SIGINT");
    setTimeout(() => {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    }, CLOSE_GRACE_MS).unref();
  }

  #fallback(n: DesktopNotification): Promise<void> {
    const { actions: _unshown, ...plain } = n;
    return this.o.fallback
      .notify(plain)
      .catch((e: unknown) => this.o.logger.warn(`the fallback notification "${n.title}" failed too`, e));
  }
}

/** The action notify-send printed, if it is one this notification offered (or the click). */
function chosen(out: string, n: DesktopNotification): string | null {
  const last = out.trim().split("\n").pop()?.trim() ?? "";
  if (last === CLICK_ACTION || n.actions?.some((a) => a.id === last)) return last;
  return null;
}
