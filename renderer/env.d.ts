import type { PimTrayApi } from "../electron/shared/ipc-api.js";

declare global {
  interface Window {
    /** Exposed by the preload (or the preview harness): the only way to reach main. */
    pimtray: PimTrayApi;
  }
}
export {};
