import {
  createApi,
  type Channel,
  type PushChannel,
  type Pushes,
  type RequestOf,
  type Responses,
  type Result,
  type Transport,
} from "../shared/ipc-api.js";

// The preview harness's stand-in for the preload: the same createApi, over HTTP instead of IPC.
// Pushes arrive as server-sent events.

const listeners = new Map<string, Set<(data: unknown) => void>>();
const events = new EventSource("/events");
events.onmessage = (m: MessageEvent<string>) => {
  const { channel, data } = JSON.parse(m.data) as { channel: string; data: unknown };
  for (const l of listeners.get(channel) ?? []) l(data);
};

const transport: Transport = {
  async invoke<C extends Channel>(channel: C, payload: RequestOf<C> | undefined): Promise<Result<Responses[C]>> {
    try {
      const res = await fetch("/rpc", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ channel, payload }),
      });
      return (await res.json()) as Result<Responses[C]>;
    } catch {
      return { ok: false, error: { kind: "network", message: "The preview server is not answering." } };
    }
  },
  subscribe<P extends PushChannel>(channel: P, listener: (data: Pushes[P]) => void) {
    const set = listeners.get(channel) ?? new Set();
    set.add(listener as (d: unknown) => void);
    listeners.set(channel, set);
    return () => set.delete(listener as (d: unknown) => void);
  },
};

(window as unknown as { pimtray: ReturnType<typeof createApi> }).pimtray = createApi(transport);
