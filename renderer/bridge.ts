// The popup's one way to reach main. Read at call time, not import time: window.pimtray is set by the
// preload or by the preview harness, and a lookup per call keeps every view honest about that.
export const api = () => window.pimtray;
