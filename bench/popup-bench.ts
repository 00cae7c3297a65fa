// npm run bench (the popup): the popup in Debian's Chromium, served by the preview harness (the real
// AppController, engine and lifecycle), against a large tenant: about 2,000 eligibilities across groups,
// Entra ID roles and Azure roles. The emulator runs in a process of its own, as Microsoft's services would,
// so the preview process's heap and event loop are the app's alone. Measured with performance marks in the
// page (an init script, so the popup carries no bench code):
//  - Sign in → the list shown: the click on Sign in to the frame that first paints a row, each sample a fresh
//    preview (a new user: no policy cached), on the local emulator and under the latency model
//    (100–300 ms per Graph and ARM call); beside it, Sign in → the rows on screen show their policies, and
//    (a few samples: a long wait) Sign in → every row of the list in (a long list arrives in parts; the list
//    shown is its first part) and every policy known;
//  - the first render from loaded data: the list's answer reaching the page to the frame that paints it;
//    and the Groups & roles tab opened again (the list mounted from data already loaded);
//  - keystrokes in the filter: the first letter (from the full list), more letters (narrowing), and clearing
//    back to the full list, each from the keydown to style and layout done ("work"), and to the next frame
//    painted ("paint": this adds the wait for the frame, up to one vsync); beside them the browser's own share,
//    the same keystrokes in a bare input added to the same page (no handler: Chromium's input, editing and
//    frame, which every keystroke pays however little the popup does), as a whole and per kind (clearing,
//    Control+A then Backspace, is the browser's dearest). A finer mark inside "work": the page's own handling
//    of the input event ("handler": from the event reaching the document to its bubbling out at the window,
//    which holds the popup's render, its layout effects and the style and layout they force);
//  - the Profiles tab's editor: opening it (New profile: three picklists of the whole list) and keystrokes in
//    its filter (first letter, narrowing, clearing), work and paint as above;
//  - the preview process's heap (V8, after a GC) before sign-in, once the list and every policy are loaded,
//    and after a full refresh (pim:eligible with refresh: every policy read again).
// At least 30 samples per latency figure (BENCH_POPUP_SAMPLES, BENCH_POPUP_SIGNIN_SAMPLES,
// BENCH_POPUP_LATENCY_SAMPLES and BENCH_POPUP_FULL_SAMPLES change them); median, p95 and max, with the load
// average (other work on the machine moves every figure). Printed, and written to bench-results/popup.json.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Browser, Page } from "playwright-core";
import { startPreview, type PreviewEmulator, type RunningPreview } from "../electron/preview/preview-server.js";
import { EmulatorControl } from "../emulator/index.js";
import { launchChromium } from "../test/helpers/chromium.js";
import { round1, stats as statsOf, type Stats } from "./stats.js";

/** Generated eligibilities per plane; with the demo tenant's own (about 25), about 2,000 in all. */
const LARGE = { groups: 800, roles: 400, azure: 800 } as const;
const SAMPLES = Number(process.env.BENCH_POPUP_SAMPLES ?? 30);
const SIGNIN_SAMPLES = Number(process.env.BENCH_POPUP_SIGNIN_SAMPLES ?? 30);
const LATENCY_SAMPLES = Number(process.env.BENCH_POPUP_LATENCY_SAMPLES ?? 30);
/** Sign-ins that wait for every policy of the list (a long wait each: the emulator's CPU, or the latency model). */
const FULL_SAMPLES = Number(process.env.BENCH_POPUP_FULL_SAMPLES ?? 3);
const LATENCY_MS = [100, 300] as const;
/** The filter's words: a first letter, then letters that narrow, then cleared. */
const QUERY = "read";

const round = round1;
const stats = (xs: number[]): Stats => statsOf(xs, round1);
/** A kind of keystroke: work and paint, and the input event's own handling inside work. */
const keyStats = (ks: Probe["keys"]) => ({
  work: stats(ks.map((k) => k.work)),
  paint: stats(ks.map((k) => k.paint)),
  handler: stats(ks.map((k) => k.handler)),
});

// ---- the page's probe -------------------------------------------------------------------------------

interface Probe {
  signInAt: number | null;
  dataAt: number | null;
  listShownAt: number | null;
  /** The first frame in which every row in the page (the rows on screen, and a few around) shows its policy. */
  screenPoliciesAt: number | null;
  policiesKnownAt: number | null;
  /** handler: the input event's own handling (the popup's render and what it forces), a part of work. */
  keys: Array<{ work: number; paint: number; handler: number }>;
  tabs: Array<{ work: number; paint: number }>;
  /** New profile clicked: the editor with its picklists. */
  opens: Array<{ work: number; paint: number }>;
}

/**
 * Runs in the page before any of its scripts (addInitScript, serialised: it must not close over anything).
 * A task posted from a requestAnimationFrame callback runs once that frame is painted.
 */
function probe(): void {
  const b: Probe = {
    signInAt: null,
    dataAt: null,
    listShownAt: null,
    screenPoliciesAt: null,
    policiesKnownAt: null,
    keys: [],
    tabs: [],
    opens: [],
  };
  (window as unknown as { __bench: Probe }).__bench = b;
  const afterTask = (cb: () => void) => {
    const c = new MessageChannel();
    c.port1.onmessage = () => cb();
    c.port2.postMessage(null);
  };
  const row = () => document.querySelector("ul.list > li[data-testid]");
  /** From t0: the work (script, style, layout) once the page's own handlers and render are done, and the next paint. */
  const measure = (t0: number, done: (m: { work: number; paint: number }) => void) =>
    afterTask(() => {
      document.documentElement.getBoundingClientRect(); // style and layout, as the frame would do them
      const work = performance.now() - t0;
      requestAnimationFrame(() => afterTask(() => done({ work, paint: performance.now() - t0 })));
    });

  // The list's answer reaching the page: the bridge's eligible(), wrapped as the preview's bridge installs it.
  let api: Record<string, unknown> | undefined;
  Object.defineProperty(window, "pimtray", {
    configurable: true,
    get: () => api,
    set: (v: Record<string, unknown>) => {
      const eligible = v.eligible as (...a: unknown[]) => Promise<unknown>;
      api = {
        ...v,
        eligible: (...a: unknown[]) =>
          eligible(...a).then((r) => {
            if (b.dataAt === null) b.dataAt = performance.now();
            return r;
          }),
      };
    },
  });

  const watchList = () => {
    const frame = () => {
      if (b.listShownAt === null && row()) afterTask(() => (b.listShownAt = performance.now()));
      if (b.screenPoliciesAt === null && row() && !document.querySelector("[data-testid=policy-loading]"))
        afterTask(() => (b.screenPoliciesAt = performance.now()));
      // Every row of the list in (a long list arrives in parts) and every policy read.
      if (
        b.policiesKnownAt === null &&
        row() &&
        !document.querySelector("[data-testid=policy-progress], [data-testid=rows-progress]")
      )
        afterTask(() => (b.policiesKnownAt = performance.now()));
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  document.addEventListener(
    "click",
    (ev) => {
      const button = (ev.target as Element | null)?.closest("button");
      if (button?.textContent?.trim() === "Sign in") {
        b.signInAt = performance.now();
        performance.mark("bench:sign-in");
        watchList();
      }
      if (button?.id === "tab-groups") {
        const t0 = ev.timeStamp;
        measure(t0, (m) => b.tabs.push(m));
      }
      if (button?.textContent?.trim() === "New profile") {
        const t0 = ev.timeStamp;
        measure(t0, (m) => b.opens.push(m));
      }
    },
    true,
  );
  let keyAt: number | null = null;
  /** The input event being handled: when it reached the document, and (once it bubbled out) how long it took. */
  let handling: { at: number; ms: number } | null = null;
  document.addEventListener(
    "keydown",
    (ev) => {
      if ((ev.target as Element | null)?.matches("input.search")) keyAt = ev.timeStamp;
    },
    true,
  );
  document.addEventListener(
    "input",
    (ev) => {
      if (keyAt === null || !(ev.target as Element | null)?.matches("input.search")) return;
      const t0 = keyAt;
      keyAt = null;
      performance.mark("bench:key");
      const h = (handling = { at: performance.now(), ms: NaN });
      measure(t0, (m) => b.keys.push({ ...m, handler: h.ms }));
    },
    true,
  );
  // The window's bubbling listener runs after the input's own handlers and the microtasks they queued (the
  // popup renders in one): a mark only, it changes nothing the keystroke does.
  window.addEventListener("input", () => {
    if (handling === null) return;
    handling.ms = performance.now() - handling.at;
    handling = null;
    performance.mark("bench:handled");
  });
}

/** tsx keeps function names with an `__name` helper the page lacks: give the page one. */
const PROBE_SCRIPT = { content: `globalThis.__name = (f) => f; (${probe.toString()})();` };

const probeOf = (page: Page) => page.evaluate(() => (window as unknown as { __bench: Probe }).__bench);

// ---- the emulator, in a process of its own ----------------------------------------------------------

async function startEmulatorProcess(dir: string): Promise<{ emu: PreviewEmulator; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "emulator/cli.ts",
      "--json",
      "--data-dir",
      join(dir, "emu"),
      "--auto-sign-in",
      "adele",
      "--large",
      String(LARGE.groups),
      "--large-roles",
      String(LARGE.roles),
      "--large-azure",
      String(LARGE.azure),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
    createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).once("line", resolve);
  });
  const { controlUrl, caCertPath } = JSON.parse(first) as { controlUrl: string; caCertPath: string };
  const caPem = readFileSync(caCertPath, "utf8");
  const control = new EmulatorControl(controlUrl, caPem);
  const info = await control.info();
  return {
    child,
    emu: {
      ...info,
      caPem,
      control,
      async close() {
        await control.close();
      },
    },
  };
}

// ---- the measures -----------------------------------------------------------------------------------

interface SignInSample {
  listShownMs: number;
  screenPoliciesMs: number;
  /** Null unless the sample waited for every policy. */
  policiesKnownMs: number | null;
  firstRenderMs: number;
}

/**
 * One new user: a fresh preview (nothing cached), Sign in, until the rows on screen show their policies, or
 * until every policy of the list is known.
 */
async function signInOnce(
  browser: Browser,
  emu: PreviewEmulator,
  dir: string,
  untilEveryPolicy: boolean,
): Promise<SignInSample> {
  const preview = await startPreview({ emulator: emu, configDir: mkdtempSync(join(dir, "cfg-")) });
  const page = await browser.newPage({ viewport: { width: 420, height: 600 } });
  try {
    await page.addInitScript(PROBE_SCRIPT);
    await page.goto(preview.url);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .waitForFunction(
        (all) => {
          const p = (window as unknown as { __bench: Probe }).__bench;
          return all ? p.policiesKnownAt !== null : p.screenPoliciesAt !== null && p.listShownAt !== null;
        },
        untilEveryPolicy,
        { timeout: Number(process.env.BENCH_POPUP_TIMEOUT_MS ?? 600_000), polling: 100 },
      )
      .catch(async (e: unknown) => {
        await page.screenshot({ path: join(dir, "..", "popup-bench-failed.png") });
        process.stderr.write(`probe: ${JSON.stringify(await probeOf(page))}\n`);
        throw e;
      });
    const p = await probeOf(page);
    if (p.signInAt === null || p.listShownAt === null || p.screenPoliciesAt === null || p.dataAt === null)
      throw new Error("the probe missed a mark");
    return {
      listShownMs: p.listShownAt - p.signInAt,
      screenPoliciesMs: p.screenPoliciesAt - p.signInAt,
      policiesKnownMs: p.policiesKnownAt === null ? null : p.policiesKnownAt - p.signInAt,
      firstRenderMs: p.listShownAt - p.dataAt,
    };
  } finally {
    await page.close();
    await preview.close();
  }
}

const known = (samples: SignInSample[]) =>
  samples.flatMap((s) => (s.policiesKnownMs === null ? [] : [s.policiesKnownMs]));

/** The preview process's heap after a full GC: used, and what V8 holds for it. */
function heap(gc: () => void): { heapUsedMiB: number; heapTotalMiB: number } {
  gc();
  gc();
  const mib = (n: number) => round(n / 1024 / 1024);
  const h = getHeapStatistics();
  return { heapUsedMiB: mib(h.used_heap_size), heapTotalMiB: mib(h.total_heap_size) };
}

async function main(): Promise<void> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  process.stdout.write("Building the popup…\n");
  execFileSync(process.execPath, ["scripts/build.mjs"], {
    stdio: "inherit",
    env: { ...process.env, BUILD_QUIET: "1" },
  });
  const loadAtStart = loadavg().map(round);
  const dir = mkdtempSync(join(tmpdir(), "pimtray-bench-popup-"));
  const { emu, child } = await startEmulatorProcess(dir);
  const browser = await launchChromium();
  try {
    // A warm-up sign-in: the first run compiles the engine's and the page's code.
    await signInOnce(browser, emu, dir, false);

    const series = async (label: string, n: number, full: number): Promise<SignInSample[]> => {
      process.stdout.write(
        `Sign in → list shown, ${label}: ${n} new users, and ${full} until every policy is known…\n`,
      );
      const out: SignInSample[] = [];
      for (let i = 0; i < n; i++) out.push(await signInOnce(browser, emu, dir, false));
      for (let i = 0; i < full; i++) out.push(await signInOnce(browser, emu, dir, true));
      return out;
    };
    const local = await series("local emulator", SIGNIN_SAMPLES, FULL_SAMPLES);
    await emu.control.addFaults([
      { kind: "latency", minMs: LATENCY_MS[0], maxMs: LATENCY_MS[1], path: "/v1.0/" },
      { kind: "latency", minMs: LATENCY_MS[0], maxMs: LATENCY_MS[1], path: "/beta/" },
      { kind: "latency", minMs: LATENCY_MS[0], maxMs: LATENCY_MS[1], path: "/arm/" },
    ]);
    const latency = await series(
      `${LATENCY_MS[0]}–${LATENCY_MS[1]} ms per Graph and ARM call`,
      LATENCY_SAMPLES,
      FULL_SAMPLES,
    );
    await emu.control.clearFaults();

    process.stdout.write(`The list signed in, every policy known: the tab and ${SAMPLES} rounds of keystrokes…\n`);
    const preview = await startPreview({ emulator: emu, configDir: mkdtempSync(join(dir, "cfg-")) });
    const page = await browser.newPage({ viewport: { width: 420, height: 600 } });
    const before = heap(gc);
    await page.addInitScript(PROBE_SCRIPT);
    await page.goto(preview.url);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForFunction(() => (window as unknown as { __bench: Probe }).__bench.policiesKnownAt !== null, null, {
      timeout: 600_000,
      polling: 100,
    });
    const loaded = heap(gc);
    // The whole list, as the popup counts it (All), once every part of it is in.
    const rows = Number(await page.getByTestId("plane-all").locator(".count").innerText());

    const tabs = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await page.getByRole("tab", { name: "Settings" }).click();
        await page.getByRole("tab", { name: /Groups/ }).click();
        await page.waitForFunction((k) => (window as unknown as { __bench: Probe }).__bench.tabs.length > k, i);
      }
    };
    await tabs(SAMPLES);
    const tabSamples = (await probeOf(page)).tabs;

    const press = async (key: string, into: Probe["keys"]) => {
      const n = (await probeOf(page)).keys.length;
      await page.keyboard.press(key);
      await page.waitForFunction((k) => (window as unknown as { __bench: Probe }).__bench.keys.length > k, n);
      const m = (await probeOf(page)).keys[n];
      if (m) into.push(m);
    };
    /** SAMPLES rounds of the query typed into the focused filter, and cleared. */
    const typing = async () => {
      const out = { first: [] as Probe["keys"], narrowing: [] as Probe["keys"], clearing: [] as Probe["keys"] };
      for (let i = 0; i < SAMPLES; i++) {
        await press(QUERY[0] ?? "r", out.first);
        for (const ch of QUERY.slice(1)) await press(ch, out.narrowing);
        await page.keyboard.press("Control+A");
        await press("Backspace", out.clearing);
      }
      return out;
    };
    await page.getByLabel("Filter groups and roles").focus();
    const { first, narrowing, clearing } = await typing();
    const shownAfterClear = await page.locator("ul.list > li[data-testid]").count();

    // The browser's own share: a bare input (no handler, outside the popup's tree) on the same page.
    await page.evaluate(() => {
      const bare = document.createElement("input");
      bare.className = "search";
      bare.id = "bench-bare";
      document.body.prepend(bare);
    });
    await page.locator("#bench-bare").focus();
    const bare = await typing();
    await page.evaluate(() => document.getElementById("bench-bare")?.remove());

    // The profile editor: opened (and cancelled) SAMPLES times, then its filter typed into.
    await page.getByRole("tab", { name: "Profiles" }).click();
    for (let i = 0; i < SAMPLES; i++) {
      await page.getByRole("button", { name: "New profile" }).click();
      await page.waitForFunction((k) => (window as unknown as { __bench: Probe }).__bench.opens.length > k, i);
      await page.getByRole("button", { name: "Cancel" }).click();
    }
    const openSamples = (await probeOf(page)).opens;
    await page.getByRole("button", { name: "New profile" }).click();
    await page.getByLabel("Filter the groups and roles to pick").focus();
    const picking = await typing();
    const picksAfterClear = await page.locator("li.pick").count();
    await page.getByRole("button", { name: "Cancel" }).click();

    // A full refresh: the list and every policy read again (refresh drops the policy caches).
    const read = policiesRead(preview);
    const refresh = await preview.controller.invoke("pim:eligible", { refresh: true, policies: "later" });
    if (!refresh.ok) throw new Error(refresh.error.message);
    await read;
    const refreshed = heap(gc);
    await page.close();
    await preview.close();

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg().map(round) },
      tenant: { generated: LARGE, eligibilities: rows },
      model: { localEmulator: "no added latency", latencyModelMs: LATENCY_MS },
      signInToListShownMs: {
        local: stats(local.map((s) => s.listShownMs)),
        latencyModel: stats(latency.map((s) => s.listShownMs)),
      },
      signInToPoliciesOnScreenMs: {
        local: stats(local.map((s) => s.screenPoliciesMs)),
        latencyModel: stats(latency.map((s) => s.screenPoliciesMs)),
      },
      signInToEveryPolicyKnownMs: {
        local: stats(known(local)),
        latencyModel: stats(known(latency)),
      },
      firstRenderFromLoadedDataMs: stats([...local, ...latency].map((s) => s.firstRenderMs)),
      groupsTabOpenedAgainMs: {
        work: stats(tabSamples.map((t) => t.work)),
        paint: stats(tabSamples.map((t) => t.paint)),
      },
      keystrokeMs: {
        query: QUERY,
        firstLetter: keyStats(first),
        narrowing: keyStats(narrowing),
        clearing: keyStats(clearing),
      },
      bareInputKeystrokeMs: {
        work: stats([...bare.first, ...bare.narrowing, ...bare.clearing].map((k) => k.work)),
        paint: stats([...bare.first, ...bare.narrowing, ...bare.clearing].map((k) => k.paint)),
        firstLetter: keyStats(bare.first),
        narrowing: keyStats(bare.narrowing),
        clearing: keyStats(bare.clearing),
      },
      profileEditorOpenedMs: {
        work: stats(openSamples.map((t) => t.work)),
        paint: stats(openSamples.map((t) => t.paint)),
      },
      picklistKeystrokeMs: {
        query: QUERY,
        firstLetter: {
          work: stats(picking.first.map((k) => k.work)),
          paint: stats(picking.first.map((k) => k.paint)),
        },
        narrowing: {
          work: stats(picking.narrowing.map((k) => k.work)),
          paint: stats(picking.narrowing.map((k) => k.paint)),
        },
        clearing: {
          work: stats(picking.clearing.map((k) => k.work)),
          paint: stats(picking.clearing.map((k) => k.paint)),
        },
      },
      rowsInTheDomWithTheFullList: shownAfterClear,
      picklistRowsInTheDomWithTheFullList: picksAfterClear,
      previewHeapMiB: { beforeSignIn: before, listAndPoliciesLoaded: loaded, afterFullRefresh: refreshed },
    };
    const line = (label: string, s: Stats) =>
      `  ${label.padEnd(44)} median ${String(s.median).padStart(7)}  p95 ${String(s.p95).padStart(7)}  max ${String(s.max).padStart(7)}  (${s.samples})`;
    const k = results.keystrokeMs;
    const b = results.bareInputKeystrokeMs;
    const pk = results.picklistKeystrokeMs;
    process.stdout.write(
      [
        "",
        `Popup, ${rows} eligibilities (ms):`,
        line("sign in → list shown (local)", results.signInToListShownMs.local),
        line("sign in → policies on screen (local)", results.signInToPoliciesOnScreenMs.local),
        line("sign in → every policy known (local)", results.signInToEveryPolicyKnownMs.local),
        line("sign in → list shown (latency model)", results.signInToListShownMs.latencyModel),
        line("sign in → policies on screen (latency model)", results.signInToPoliciesOnScreenMs.latencyModel),
        line("sign in → every policy known (latency model)", results.signInToEveryPolicyKnownMs.latencyModel),
        line("first render from loaded data", results.firstRenderFromLoadedDataMs),
        line("groups tab opened again, work", results.groupsTabOpenedAgainMs.work),
        line("groups tab opened again, to paint", results.groupsTabOpenedAgainMs.paint),
        line("keystroke, first letter, work", k.firstLetter.work),
        line("keystroke, first letter, to paint", k.firstLetter.paint),
        line("keystroke, first letter, its handler", k.firstLetter.handler),
        line("keystroke, narrowing, work", k.narrowing.work),
        line("keystroke, narrowing, to paint", k.narrowing.paint),
        line("keystroke, narrowing, its handler", k.narrowing.handler),
        line("keystroke, clearing, work", k.clearing.work),
        line("keystroke, clearing, to paint", k.clearing.paint),
        line("keystroke, clearing, its handler", k.clearing.handler),
        line("keystroke in a bare input (browser), work", results.bareInputKeystrokeMs.work),
        line("keystroke in a bare input, to paint", results.bareInputKeystrokeMs.paint),
        line("bare input, first letter, work", b.firstLetter.work),
        line("bare input, narrowing, work", b.narrowing.work),
        line("bare input, clearing, work", b.clearing.work),
        line("profile editor opened, work", results.profileEditorOpenedMs.work),
        line("profile editor opened, to paint", results.profileEditorOpenedMs.paint),
        line("picklist keystroke, first letter, work", pk.firstLetter.work),
        line("picklist keystroke, first letter, to paint", pk.firstLetter.paint),
        line("picklist keystroke, narrowing, work", pk.narrowing.work),
        line("picklist keystroke, narrowing, to paint", pk.narrowing.paint),
        line("picklist keystroke, clearing, work", pk.clearing.work),
        line("picklist keystroke, clearing, to paint", pk.clearing.paint),
        `  rows in the DOM with the full list: ${shownAfterClear}; in the three picklists: ${picksAfterClear}`,
        `  load average ${loadAtStart.join(" ")} at the start, ${results.machine.loadAverageAtEnd.join(" ")} at the end (${results.machine.cpus} CPUs)`,
        `  preview heap (MiB used after GC): before sign-in ${before.heapUsedMiB}, list and policies loaded ${loaded.heapUsedMiB}, after a full refresh ${refreshed.heapUsedMiB}`,
        "",
      ].join("\n"),
    );
    mkdirSync("bench-results", { recursive: true });
    writeFileSync(join("bench-results", "popup.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write("Written to bench-results/popup.json\n");
  } finally {
    await browser.close();
    await emu.close();
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Until main has pushed the last of a list's policies. */
function policiesRead(preview: RunningPreview): Promise<void> {
  return new Promise((resolve) => {
    const off = preview.controller.onPush((channel, data) => {
      if (channel === "pim:policies-read" && (data as { remaining: number }).remaining === 0) {
        off();
        resolve();
      }
    });
  });
}

await main();
// Closed previews leave timers behind (21 pending Timeouts, no handles, measured after a run): without this the
// bench never exits once its results are written.
process.stdout.write("", () => process.exit(0));
