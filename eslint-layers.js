// The layer rules as allow-lists (VS Code's model): each layer names what it may import; anything
// else fails lint. docs/architecture.md lists the same table, and test/architecture checks the two agree.
import { builtinModules } from "node:module";
import { dirname, relative, resolve } from "node:path";

/**
 * Layers, most specific first. `layers`: project layers it may import from; `files`: single project
 * files it may import (`types: true` means `import type` only); `packages`: npm packages; `node`:
 * Node built-ins.
 */
export const LAYERS = [
  {
    name: "api",
    dir: "electron/shared/ipc-api.ts",
    why: "the zod-free bridge API that the preload and renderer load",
    layers: [],
    files: [{ path: "electron/shared/ipc-contract.ts", types: true }],
    packages: [],
    node: false,
  },
  {
    name: "engine",
    dir: "electron/engine/",
    why: "domain logic: no Electron, no UI",
    layers: ["engine"],
    files: [],
    // plist, bplist-parser and registry-js read managed policy (macOS, Windows; imported on that OS only);
    // yazl writes the diagnostics zip.
    packages: ["@azure/msal-node", "zod", "node-notifier", "undici", "plist", "bplist-parser", "registry-js", "yazl"],
    node: true,
  },
  {
    name: "shared",
    dir: "electron/shared/",
    why: "the IPC contract: zod schemas and the rules they share with the engine",
    layers: ["shared", "api"],
    files: [
      { path: "electron/engine/config.ts" },
      { path: "electron/engine/limits.ts" },
      // The settings file's target schemas: a request names a target on any plane by the same rule.
      { path: "electron/engine/profiles/settings-schema.ts" },
    ],
    packages: ["zod"],
    node: false,
  },
  {
    name: "app",
    dir: "electron/app/",
    why: "the Electron-free app controller and tray model",
    layers: ["app", "engine", "shared", "api"],
    files: [],
    packages: [],
    node: false,
  },
  {
    name: "adapters",
    dir: "electron/adapters/",
    why: "thin Electron glue behind small interfaces",
    layers: ["adapters", "app", "engine", "shared", "api"],
    files: [],
    packages: ["electron", "electron-store", "electron-updater"],
    node: true,
  },
  {
    name: "node",
    dir: "electron/node/",
    why: "Node-only helpers the front ends share: the file logger, the demo emulator and its sign-in",
    layers: ["node", "engine"],
    files: [],
    packages: ["undici"],
    node: true,
  },
  {
    name: "cli",
    dir: "electron/cli/",
    why: "`pimtray`",
    layers: ["cli", "node", "engine"],
    files: [],
    // system-ca: the OS trust store for --use-system-ca on Node 20.
    packages: ["commander", "undici", "system-ca"],
    node: true,
  },
  {
    name: "preview",
    dir: "electron/preview/",
    why: "the popup in a browser, backed by the real engine against the emulator",
    layers: ["preview", "app", "node", "engine", "shared", "api", "emulator"],
    files: [],
    packages: ["undici"],
    node: true,
  },
  {
    name: "main",
    dir: "electron/main/",
    why: "the composition root: wires Electron to the engine",
    layers: ["main", "adapters", "app", "node", "engine", "shared", "api"],
    files: [],
    packages: ["electron", "undici"],
    node: true,
  },
  {
    name: "preload",
    dir: "electron/preload/",
    why: "the sandboxed bridge",
    layers: ["api"],
    files: [],
    packages: ["electron"],
    node: false,
  },
  {
    name: "renderer",
    dir: "renderer/",
    why: "the sandboxed popup",
    layers: ["renderer", "api"],
    // The planes' vocabulary (keys and labels of targets): pure functions, no I/O, so the popup
    // names and matches targets exactly as main does instead of keeping a copy.
    files: [{ path: "electron/engine/planes/targets.ts" }],
    packages: ["preact", "preact/hooks"],
    node: false,
  },
  {
    name: "emulator",
    dir: "emulator/",
    why: "the test bed: stands alone",
    layers: ["emulator"],
    files: [],
    packages: ["jose", "node-forge", "undici", "zod"],
    node: true,
  },
];

const root = process.cwd();
const rel = (abs) => relative(root, abs).split("\\").join("/");
const withoutExt = (p) => p.replace(/\.(ts|tsx|js|mjs|cjs)$/, "");
const layerOf = (path) =>
  LAYERS.find((l) => (l.dir.endsWith("/") ? path.startsWith(l.dir) : withoutExt(path) === withoutExt(l.dir)));
const isBuiltin = (s) => s.startsWith("node:") || builtinModules.includes(s.split("/")[0] ?? "");
/** "@scope/name/x" → "@scope/name"; "name/x" → "name"; subpaths listed whole (preact/hooks) match too. */
const packageNames = (s) => {
  const parts = s.split("/");
  const base = s.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? s);
  return [s, base];
};

function verdict(layer, source, fromFile, typeOnly) {
  if (source.startsWith(".")) {
    const target = rel(resolve(dirname(fromFile), source));
    const file = layer.files.find((f) => withoutExt(f.path) === withoutExt(target));
    if (file && (!file.types || typeOnly)) return null;
    const to = layerOf(target);
    if (to && layer.layers.includes(to.name)) return null;
    return `${to ? `the ${to.name} layer (${target})` : target}`;
  }
  if (isBuiltin(source)) return layer.node ? null : `Node built-in '${source}'`;
  if (packageNames(source).some((n) => layer.packages.includes(n))) return null;
  return `package '${source}'`;
}

export const layersPlugin = {
  rules: {
    "allowed-imports": {
      meta: {
        type: "problem",
        schema: [],
        messages: {
          notAllowed:
            "The {{layer}} layer ({{why}}) may not import {{what}}. It may import: {{allowed}}. See docs/architecture.md.",
        },
      },
      create(context) {
        const file = rel(context.filename);
        const layer = layerOf(file);
        if (!layer) return {};
        const allowed =
          [
            ...layer.layers.map((l) => `${l} layer`),
            ...layer.files.map((f) => f.path + (f.types ? " (types)" : "")),
            ...layer.packages,
            ...(layer.node ? ["Node built-ins"] : []),
          ].join(", ") || "nothing";
        const check = (node, source, typeOnly) => {
          if (typeof source !== "string") return;
          const what = verdict(layer, source, context.filename, typeOnly);
          if (what)
            context.report({
              node,
              messageId: "notAllowed",
              data: { layer: layer.name, why: layer.why, what, allowed },
            });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value, n.importKind === "type"),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, n.exportKind === "type"),
          ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === "type"),
          ImportExpression: (n) => n.source.type === "Literal" && check(n, n.source.value, false),
        };
      },
    },
  },
};
