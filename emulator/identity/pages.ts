import { type Ctx, escapeHtml, sendHtml } from "../http.js";

/** The frame around every page the emulator shows a person. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · PIM Tray emulator</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}ul{list-style:none;padding:0}li{margin:.4rem 0}small{color:#555}
fieldset{border:1px solid #ccc;border-radius:6px}button{font:inherit;padding:.45rem 1.2rem;margin:.6rem .4rem 0 0}
.stepup{background:#fff4ce;padding:.6rem;border-radius:6px}[role=alert]{color:#a4262c}</style></head>
<body><h1>${escapeHtml(title)}</h1><p><small>Local Entra ID emulator for PIM Tray. Not Microsoft.</small></p>${body}</body></html>`;
}

/** Hidden inputs for each field, escaped. */
export function hiddenInputs(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
}

/** response_mode=form_post: a page that posts the fields to the redirect URI at once. */
export function formPost(ctx: Ctx, redirectUri: string, fields: Record<string, string>): void {
  sendHtml(
    ctx,
    200,
    `<!doctype html><html><head><title>Working...</title></head><body><form method="post" action="${escapeHtml(redirectUri)}">${hiddenInputs(fields)}<noscript><button type="submit">Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
  );
}
