import { mkdtempSync } from "node:fs";
import { arch, release, tmpdir, type } from "node:os";
import { join } from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import type { TokenCachePersistence } from "../engine/auth/token-cache.js";
import { accountProbe } from "../engine/diagnostics/cached-scopes.js";
import { runDoctor } from "../engine/diagnostics/doctor.js";
import { exportDiagnostics } from "../engine/diagnostics/export.js";
import { reach } from "../engine/diagnostics/reach.js";
import { tlsPeer } from "../engine/diagnostics/tls-peer.js";
import type { DoctorReport } from "../engine/diagnostics/types.js";
import type { Engine } from "../engine/engine.js";
import { FILES } from "../engine/paths.js";
import type { PolicedSettings } from "../engine/policy/policed-settings.js";
import { logFiles } from "../node/file-logger.js";

// Troubleshoot in the preview: the real doctor (electron/engine/diagnostics) over Node's probes, as `pimtray doctor`
// runs it, against the preview's emulator; and the real export, into a folder of the test's choosing (a browser
// page has no save dialog: `saveAs` stands for it, and may answer null, as a cancelled dialog does).

export interface PreviewDiagnosticsOptions {
  engine: Engine;
  settings: PolicedSettings;
  persistence: TokenCachePersistence;
  /** The emulator's CA: the only certificate the preview's requests trust. */
  caPem: string;
  configDir: string;
  /** The save dialog: where the zip goes, or null (cancelled). By default, a new file in a temporary folder. */
  saveAs?: (() => Promise<string | null>) | undefined;
}

export function previewDiagnostics(o: PreviewDiagnosticsOptions) {
  const dispatcher = new Agent({ connect: { ca: o.caPem } });
  const c = o.engine.connection;
  const doctor = async (): Promise<DoctorReport> =>
    runDoctor({
      frontEnd: "app",
      endpoints: {
        signin: new URL(c.authority).origin,
        graph: new URL(c.graphBaseUrl).origin,
        arm: c.armBaseUrl ? new URL(c.armBaseUrl).origin : null,
      },
      customEndpoints: c.custom,
      reach: (url) =>
        reach(url, {
          fetch: (u, init) => undiciFetch(u, { ...init, dispatcher }),
          proxy: null,
          peer: (u) => tlsPeer(u, { ca: [o.caPem], proxyUrl: null }),
        }),
      proxy: async () => ({ source: "none", url: null, noProxy: null }),
      // The preview keeps tokens in memory, as a desktop without a key store does.
      tokenCache: async () => ({ kind: "memory", location: null, present: false, readable: false, ownerOnly: null }),
      account: () => accountProbe(o.engine.auth, () => o.persistence.load()),
      planeScopes: c.planeScopes,
      planesEnabled: async () => (await o.settings.load()).planes,
      policy: async () => {
        const p = o.settings.policy;
        return { sources: p.sources, values: p.values, locked: Object.keys(p.values), problems: p.problems };
      },
      versions: async () => ({
        app: "preview",
        electron: null,
        node: process.versions.node,
        os: `${type()} ${release()} ${arch()}`,
      }),
    });
  const saveAs =
    o.saveAs ??
    (async () =>
      join(mkdtempSync(join(tmpdir(), "pimtray-export-")), `pimtray-diagnostics-${Date.now().toString(36)}.zip`));
  const exportTo = async (): Promise<string | null> => {
    const path = await saveAs();
    if (!path) return null;
    const effective = await o.settings.effective();
    await exportDiagnostics({
      path,
      report: await doctor(),
      logFiles: logFiles(join(o.configDir, FILES.log)),
      settings: effective.settings,
      policy: { sources: effective.sources, fields: effective.fields, problems: effective.problems },
    });
    return path;
  };
  return { doctor, exportDiagnostics: exportTo, close: () => dispatcher.close() };
}
