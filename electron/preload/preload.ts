import { contextBridge, ipcRenderer } from "electron";
import { createApi, type Transport } from "../shared/ipc-api.js";

// The only bridge between the sandboxed popup and main: the typed API, nothing else. Bundled into a
// single file, because a sandboxed preload cannot require local modules.
const transport: Transport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
  subscribe: (channel, listener) => {
    const handler = (_event: unknown, data: unknown) => listener(data as never);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  },
};

contextBridge.exposeInMainWorld("pimtray", createApi(transport));
