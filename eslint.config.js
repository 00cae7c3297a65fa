// Lint, including the layer rules from docs/architecture.md (eslint-layers.js: allow-lists per layer).
import tseslint from "typescript-eslint";
import { layersPlugin } from "./eslint-layers.js";

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
    // Layer rules as allow-lists: each layer names what it may import (eslint-layers.js).
    files: ["electron/**/*.ts", "renderer/**/*.{ts,tsx}", "emulator/**/*.ts"],
    plugins: { layers: layersPlugin },
    rules: { "layers/allowed-imports": "error" },
  },
  {
    // CommonJS by design (bin/pimtray.cjs: Node's ES module loader costs every CLI start about 10 ms).
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // Tests inspect arbitrary Graph payloads.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
