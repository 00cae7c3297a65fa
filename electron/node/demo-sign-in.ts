import { Agent, fetch } from "undici";

// The demo tenant signs in without a person: the tray app's and the CLI's --demo, and the preview.

/**
 * Plays the browser's part against the emulator's sign-in page in auto mode: it fetches the page
 * and submits its form to MSAL's loopback, exactly as a browser would.
 */
export async function followSignInPage(url: string, caPem: string): Promise<void> {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  try {
    const html = await (await fetch(url, { dispatcher })).text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error("the demo sign-in page did not sign in automatically");
    const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      fields.set(unescape(m[1] ?? ""), unescape(m[2] ?? ""));
    await fetch(unescape(action), {
      method: "POST",
      body: fields.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  } finally {
    await dispatcher.close();
  }
}
