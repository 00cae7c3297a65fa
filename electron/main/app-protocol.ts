import { app, protocol } from "electron";
import { readFile } from "node:fs/promises";
import { join, normalize } from "node:path";

// The app:// protocol that serves the popup's files, each with a strict CSP header.

// dist/electron/main.cjs serves dist/renderer; a run from source (tests) names the folder. An
// installed app serves only its own files, whatever the environment says.
const RENDERER_DIR = (!app.isPackaged && process.env.PIMTRAY_RENDERER_DIR) || join(__dirname, "..", "renderer");
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves app:// from the renderer folder; a path that leaves it is not found. Needs a ready app. */
export function serveRenderer(): void {
  protocol.handle("app", async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(RENDERER_DIR, url.pathname === "/" ? "index.html" : url.pathname));
    if (!file.startsWith(RENDERER_DIR)) return new Response("not found", { status: 404 });
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css" : "text/html";
    try {
      return new Response(await readFile(file), { headers: { "content-type": type, "content-security-policy": CSP } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
}
