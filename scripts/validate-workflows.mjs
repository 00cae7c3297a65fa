#!/usr/bin/env node
// `npm run lint` checks the GitHub Actions workflows before GitHub does: each file against SchemaStore's
// workflow schema (@action-validator/core, a WASM build of action-validator), plus two rules of ours that
// the schema cannot express: every remote action is pinned to a release tag or commit, and every workflow
// declares its `permissions:` (the default token may write everywhere).
//
// Usage: node scripts/validate-workflows.mjs [FILE|DIR ...]   (default: .github/workflows)
// Exit codes: 0 all valid; 1 an error, printed as FILE:LINE: PATH: MESSAGE; 2 nothing to check.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { validateWorkflow } = require("@action-validator/core");

/** The workflow files named on the command line, or in the folders named there. */
function workflowFiles(args) {
  const files = [];
  for (const arg of args) {
    if (!existsSync(arg)) {
      process.stderr.write(`validate-workflows: no such file or folder: ${arg}\n`);
      process.exit(2);
    }
    if (statSync(arg).isDirectory()) {
      for (const name of readdirSync(arg).sort()) if (/\.ya?ml$/.test(name)) files.push(join(arg, name));
    } else files.push(arg);
  }
  return files;
}

/**
 * The leaf errors of one validator error. For a oneOf/anyOf (a job is either a normal job or a call of a
 * reusable workflow), the alternative that needs the fewest fixes is the one the author meant: its errors
 * are reported, not every alternative's.
 */
function leaves(error) {
  if (!error.states?.length) return [error];
  const options = error.states.map((state) => state.errors.flatMap(leaves)).filter((list) => list.length > 0);
  if (options.length === 0) return [error];
  const fewest = Math.min(...options.map((list) => list.length));
  const best = options.filter((list) => list.length === fewest);
  // "must be object" or "must be string": one value of the wrong type, whichever type is allowed is named.
  const types = best.map((list) => list[0]);
  if (fewest === 1 && best.length > 1 && types.every((e) => e.code === "wrong_type" && e.path === types[0].path))
    return [
      {
        ...types[0],
        detail: `The value must be ${types.map((e) => e.detail?.replace(/^The value must be /, "")).join(" or ")}`,
      },
    ];
  return best[0];
}

/** The line (1-based) of a JSON pointer in block-style YAML, or of its deepest part found; 1 if none is. */
function lineOf(lines, pointer) {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const indent = (l) => l.length - l.trimStart().length;
  const blank = (l) => l.trim() === "" || l.trimStart().startsWith("#");
  let from = 0;
  let to = lines.length;
  let parentColumn = -1;
  let found = 0;
  for (const part of parts) {
    // A line's key column: after "- " for the first key of a list item.
    const entries = [];
    for (let i = from; i < to; i++) {
      const l = lines[i];
      if (blank(l)) continue;
      const dash = /^(\s*)-(\s+|$)/.exec(l);
      entries.push({ i, column: indent(l), dash: !!dash, keyColumn: dash ? dash[0].length : indent(l) });
    }
    let at = -1;
    let column = -1;
    if (/^\d+$/.test(part)) {
      const items = entries.filter((e) => e.dash && e.column > parentColumn);
      const itemColumn = Math.min(...items.map((e) => e.column));
      const item = items.filter((e) => e.column === itemColumn)[Number(part)];
      if (item) [at, column] = [item.i, item.column];
    } else {
      const key = new RegExp(`^(["']?)${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1\\s*:`);
      const entry = entries.find((e) => e.keyColumn > parentColumn && key.test(lines[e.i].slice(e.keyColumn)));
      if (entry) [at, column] = [entry.i, entry.keyColumn];
    }
    if (at < 0) break;
    found = at;
    parentColumn = column;
    from = at + 1;
    const end = lines.findIndex((l, i) => i > at && !blank(l) && indent(l) <= column);
    to = end < 0 ? lines.length : end;
  }
  return found + 1;
}

/** Our rules beyond the schema, as [line, path, message]. */
function projectRules(lines) {
  const problems = [];
  if (!lines.some((l) => /^permissions\s*:/.test(l)))
    problems.push([
      1,
      "/permissions",
      "no top-level `permissions:`: set the least the workflow needs (e.g. contents: read)",
    ]);
  lines.forEach((l, i) => {
    const m = /^\s*(?:-\s+)?uses\s*:\s*["']?([^"'\s#]+)/.exec(l);
    if (!m || m[1].startsWith("./") || m[1].startsWith("docker://")) return;
    const [action, ref] = m[1].split("@");
    if (!ref)
      problems.push([i + 1, "uses", `${action} is not pinned: add @vN (a release's major tag) or @<commit sha>`]);
    else if (/^(main|master|HEAD|latest)$/.test(ref))
      problems.push([
        i + 1,
        "uses",
        `${action}@${ref} follows a branch: pin a release's major tag (@vN) or a commit sha`,
      ]);
  });
  return problems;
}

/** Every problem in one workflow file, as [line, "FILE:LINE: PATH: MESSAGE"], in line order. */
function checkWorkflow(file, src) {
  const lines = src.split(/\r?\n/);
  const out = [];
  let parsed = true;
  for (const error of validateWorkflow(src).errors) {
    if (error.code === "parse_error") {
      parsed = false;
      const where = error.location ? `${error.location.line}:${error.location.column}` : "1";
      out.push([error.location?.line ?? 1, `${file}:${where}: YAML syntax error: ${error.detail}`]);
      continue;
    }
    for (const leaf of leaves(error)) {
      const extra = /Additional property '([^']+)'/.exec(leaf.detail ?? "");
      const line = lineOf(lines, extra ? `${leaf.path}/${extra[1]}` : leaf.path);
      // Without a detail (an enum or a pattern) the title alone does not say which value; the line does.
      const message = leaf.detail ? `${leaf.title}: ${leaf.detail}` : `${leaf.title}, at "${lines[line - 1]?.trim()}"`;
      out.push([line, `${file}:${line}: ${leaf.path || "/"}: ${message}`]);
    }
  }
  // A file that does not parse has no keys to apply our rules to.
  if (parsed)
    for (const [line, path, message] of projectRules(lines)) out.push([line, `${file}:${line}: ${path}: ${message}`]);
  return [...new Set(out.sort((a, b) => a[0] - b[0]).map(([, text]) => text))];
}

function main() {
  const args = process.argv.slice(2);
  const files = workflowFiles(args.length ? args : [".github/workflows"]);
  if (files.length === 0) {
    process.stderr.write(
      `validate-workflows: no workflow files (*.yml, *.yaml) in ${args.join(", ") || ".github/workflows"}\n`,
    );
    process.exit(2);
  }
  const problems = files.flatMap((file) => checkWorkflow(file, readFileSync(file, "utf8")));
  if (problems.length) {
    process.stderr.write(`${problems.join("\n")}\n`);
    process.stderr.write(
      `validate-workflows: ${problems.length} problem(s) in ${files.length} workflow file(s); fix them before pushing (GitHub would refuse or misread them)\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`validate-workflows: ${files.length} workflow file(s) valid: ${files.join(", ")}\n`);
}

main();
