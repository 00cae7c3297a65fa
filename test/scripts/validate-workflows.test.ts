// The workflow check in `npm run lint` (scripts/validate-workflows.mjs): it passes on our workflows and
// fails, saying where and what, on each kind of mistake GitHub would refuse or misread, made in copies of
// our own files, so the check cannot pass by checking nothing. Also the browser the CI workflow hands the
// suites (PIMTRAY_CHROMIUM), as test/helpers/chromium.ts resolves it, with real files.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findChromium } from "../helpers/chromium.js";

const SCRIPT = "scripts/validate-workflows.mjs";
const CI = readFileSync(".github/workflows/ci.yml", "utf8");
const RELEASE = readFileSync(".github/workflows/release.yml", "utf8");
const dir = mkdtempSync(join(tmpdir(), "pimtray-workflows-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes `text` as a workflow file in a folder of its own, and returns the file's path. */
function workflow(name: string, text: string): string {
  const folder = mkdtempSync(join(dir, "wf-"));
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

/** `text` with `from` replaced once; fails the test if `from` is not there (the copy would not be broken). */
function broken(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("validate-workflows", () => {
  it("passes on the repository's workflows and names every file it checked", () => {
    const r = validate();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("2 workflow file(s) valid");
    expect(r.stdout).toContain(".github/workflows/ci.yml");
    expect(r.stdout).toContain(".github/workflows/release.yml");
  });

  it("is part of npm run lint", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.lint).toContain(`node ${SCRIPT}`);
  });

  it("a misspelt key: fails with the file, the key's line, the path and the schema's message", () => {
    const text = broken(CI, "    steps:\n", "    stepz:\n");
    const file = workflow("ci.yml", text);
    const r = validate(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, "stepz:")}: /jobs/test: Property conditions are not met: Additional property 'stepz' is not allowed`,
    );
    expect(r.stderr).toMatch(/1 problem\(s\) in 1 workflow file\(s\)/);
  });

  it("a value of the wrong type: names the path, its line and the type wanted", () => {
    const text = broken(RELEASE, "    timeout-minutes: 60\n", "    timeout-minutes: an hour\n");
    const file = workflow("release.yml", text);
    const r = validate(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, "an hour")}: /jobs/build/timeout-minutes: Type of the value is wrong: The value must be number`,
    );
  });

  it("a value outside the allowed ones: shows the line, as the schema's message does not name it", () => {
    const text = broken(RELEASE, "      contents: write # publishes the draft", "      contents: wirte");
    const file = workflow("release.yml", text);
    const r = validate(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, "wirte")}: /jobs/publish/permissions/contents: Enum conditions are not met, at "contents: wirte"`,
    );
  });

  it("YAML that does not parse: the line and column", () => {
    const file = workflow("bad.yaml", "name: x\non: [push\njobs:\n");
    const r = validate(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.\\]/g, "\\$&")}:3:\\d+: YAML syntax error: did not find`));
  });

  it("an unpinned action, one that follows a branch, and no permissions: our own rules", () => {
    let text = broken(CI, "      - uses: actions/checkout@v7\n", "      - uses: actions/checkout\n");
    text = broken(text, "uses: actions/setup-node@v7", "uses: actions/setup-node@main");
    text = broken(text, "permissions:\n  contents: read\n", "");
    const file = workflow("ci.yml", text);
    const r = validate(file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:1: /permissions: no top-level \`permissions:\``);
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, "actions/checkout")}: uses: actions/checkout is not pinned: add @vN`,
    );
    expect(r.stderr).toContain(
      `${file}:${lineOf(text, "setup-node@main")}: uses: actions/setup-node@main follows a branch`,
    );
  });

  it("checks every file in a folder: one good file does not hide a bad one", () => {
    const folder = mkdtempSync(join(dir, "mixed-"));
    writeFileSync(join(folder, "ci.yml"), CI);
    writeFileSync(join(folder, "release.yml"), broken(RELEASE, "    runs-on: ${{ matrix.os }}", "    runs-on: 3"));
    writeFileSync(join(folder, "notes.txt"), "not a workflow");
    const r = validate(folder);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(join(folder, "release.yml"));
    expect(r.stderr).toContain("/jobs/build/runs-on");
    expect(r.stderr).not.toContain(join(folder, "ci.yml"));
    expect(r.stderr).toMatch(/in 2 workflow file\(s\)/);
  });

  it("nothing to check is an error, not a pass", () => {
    const empty = mkdtempSync(join(dir, "empty-"));
    const r = validate(empty);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no workflow files (*.yml, *.yaml) in ${empty}`);
    expect(validate(join(dir, "missing")).status).toBe(2);
  });
});

describe("the browser for the browser suites", () => {
  it("ci.yml hands every OS's suites the Chrome it installs, and installs no Ubuntu chromium (a snap shim)", () => {
    expect(CI).toContain("PIMTRAY_CHROMIUM: ${{ steps.chrome.outputs.chrome-path }}");
    expect(CI).toMatch(
      /- name: Google Chrome for the browser tests\n\s+id: chrome\n\s+uses: browser-actions\/setup-chrome@/,
    );
    const aptLines = CI.split("\n").filter((l) => l.includes("apt-get install"));
    expect(aptLines.length).toBeGreaterThan(0);
    for (const line of aptLines) expect(line).not.toMatch(/\bchromium\b/);
  });

  it("PIMTRAY_CHROMIUM that names no file: a reason naming the variable, the path and what to do", () => {
    const missing = join(dir, "no-such-chrome");
    const choice = findChromium({ PIMTRAY_CHROMIUM: missing }, "linux");
    expect(choice.path).toBe(missing);
    expect(choice.problem).toBe(
      `PIMTRAY_CHROMIUM=${missing} cannot be used: no file at ${missing}. Point it at a Chromium or Google Chrome executable`,
    );
  });

  it("Ubuntu's wrapper for the chromium snap is refused as such; Debian's launcher script is taken", () => {
    const shim = join(dir, "chromium-browser");
    writeFileSync(shim, '#! /bin/sh\n# transitional package\nexec /snap/bin/chromium "$@"\n');
    chmodSync(shim, 0o755);
    expect(findChromium({ PIMTRAY_CHROMIUM: shim }, "linux").problem).toContain("wrapper script for the chromium snap");
    const launcher = join(dir, "chromium");
    writeFileSync(launcher, '#!/bin/sh\n# Chromium launcher\nexec /usr/lib/chromium/chromium "$@"\n');
    chmodSync(launcher, 0o755);
    expect(findChromium({ PIMTRAY_CHROMIUM: launcher }, "linux")).toEqual({ path: launcher, problem: "" });
  });

  it("without PIMTRAY_CHROMIUM, the usual places: Chrome where Windows installs it, or the places looked at", () => {
    const programFiles = mkdtempSync(join(dir, "pf-"));
    const chrome = join(programFiles, "Google", "Chrome", "Application", "chrome.exe");
    const none = findChromium({ PROGRAMFILES: programFiles }, "win32");
    expect(none.problem).toBe(
      `no Chromium or Google Chrome found (looked at ${chrome}): install Google Chrome, or set PIMTRAY_CHROMIUM to the browser's executable`,
    );
    mkdirSync(join(programFiles, "Google", "Chrome", "Application"), { recursive: true });
    writeFileSync(chrome, "MZ");
    expect(findChromium({ PROGRAMFILES: programFiles }, "win32")).toEqual({ path: chrome, problem: "" });
  });
});
