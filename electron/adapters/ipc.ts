import { CHANNELS, type Channel, type Result } from "../shared/ipc-contract.js";

// Registers one ipcMain.handle per contract channel. Each handler first checks its sender (Fiddle's
// rule, tightened): our popup window, its main frame, our own origin. Then the controller validates
// the payload. Anything else gets a refusal, never an exception.

export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcDeps {
  ipcMain: IpcMainLike;
  invoke: (channel: Channel, payload: unknown) => Promise<Result<unknown>>;
  /** The popup's webContents id; null while there is no window. */
  windowContentsId: () => number | null;
  /** The origin our page is served from, e.g. "app://pimtray" or "file://". */
  origin: string;
  onRejected?: (channel: string, reason: string) => void;
}

export function isTrustedSender(event: IpcEventLike, windowId: number | null, origin: string): string | null {
  if (windowId === null || event.sender.id !== windowId) return "not our window";
  const frame = event.senderFrame;
  if (!frame) return "no frame";
  if (frame.parent) return "not the main frame";
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return "unparseable frame url";
  }
  const expected = new URL(origin);
  if (url.protocol !== expected.protocol || url.host !== expected.host)
    return `foreign origin ${url.protocol}//${url.host}`;
  return null;
}

export function registerIpc(d: IpcDeps): () => void {
  const channels = CHANNELS;
  for (const channel of channels) {
    d.ipcMain.removeHandler(channel);
    d.ipcMain.handle(channel, async (event, payload) => {
      const why = isTrustedSender(event, d.windowContentsId(), d.origin);
      if (why) {
        d.onRejected?.(channel, why);
        return {
          ok: false,
          error: { kind: "usage", message: "Refused: this request did not come from the PIM Tray window." },
        } satisfies Result<never>;
      }
      return d.invoke(channel, payload);
    });
  }
  return () => channels.forEach((c) => d.ipcMain.removeHandler(c));
}
