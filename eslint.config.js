// Lint, including the layer rules from docs/architecture.md: lower layers never import upper ones.
import tseslint from "typescript-eslint";

const electronBan = {
  name: "electron",
  message: "The engine must stay Electron-free: take the capability through an interface in electron/engine/ports and let an adapter in electron/adapters provide it.",
};

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "out/**", "test-results/**", "bench-results/**", "**/*.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // The engine: domain logic shared by the tray app and the CLI. No Electron, no UI, no adapters.
    files: ["electron/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronBan],
          patterns: [
            { group: ["electron/*"], message: electronBan.message },
            { group: ["**/adapters/**", "**/main/**", "**/renderer/**", "**/cli/**"], message: "The engine may not import the layers above it (adapters, main, cli, renderer)." },
          ],
        },
      ],
    },
  },
  {
    // The app layer (controller, tray model, preview) is Electron-free too: it runs in tests and the preview harness.
    files: ["electron/app/**/*.ts", "electron/shared/**/*.ts", "electron/preview/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [electronBan], patterns: [{ group: ["**/adapters/**", "**/main/**"], message: "The app layer may not import adapters or main." }] }],
    },
  },
  {
    // The emulator is a test bed: it never depends on the product, and the product never on it (except demo wiring).
    files: ["emulator/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [electronBan], patterns: [{ group: ["**/electron/**", "**/renderer/**"], message: "The emulator stands alone." }] }],
    },
  },
  {
    // The renderer is sandboxed: it reaches main only through the typed preload API.
    files: ["renderer/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [electronBan, { name: "node:fs", message: "The renderer has no Node access." }],
          patterns: [{ group: ["node:*", "**/electron/engine/**", "**/electron/adapters/**", "**/electron/main/**"], message: "The renderer talks to main only through the preload API (window.pimtray)." }],
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests inspect arbitrary Graph payloads.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
