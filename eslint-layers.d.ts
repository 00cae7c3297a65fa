// Types for eslint-layers.js, which ESLint loads as plain JavaScript; the docs test reads LAYERS.
export interface Layer {
  name: string;
  /** A folder (ending in "/") or a single file. */
  dir: string;
  why: string;
  layers: string[];
  files: Array<{ path: string; types?: boolean }>;
  packages: string[];
  node: boolean;
}
export declare const LAYERS: Layer[];
export declare const layersPlugin: { rules: Record<string, unknown> };
