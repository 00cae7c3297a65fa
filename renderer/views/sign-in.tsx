// The panel shown until the user signs in, with what to do when the tenant has not consented.
import { useState } from "preact/hooks";
import type { AppState } from "../../electron/shared/ipc-api.js";
import { api } from "../bridge.js";
import type { Notify } from "../hooks.js";

export function SignInPanel({ notify, onSignedIn }: { notify: Notify; onSignedIn: (s: AppState) => void }) {
  const [signingIn, setSigningIn] = useState(false);
  const [consent, setConsent] = useState<{ message: string; url: string } | null>(null);
  const signIn = () => {
    setSigningIn(true);
    setConsent(null);
    void api()
      .signIn({})
      .then(onSignedIn)
      .catch((e: unknown) => {
        const { kind, adminConsentUrl } = e as { kind?: string; adminConsentUrl?: string };
        if (kind === "consent" && adminConsentUrl)
          setConsent({ message: e instanceof Error ? e.message : String(e), url: adminConsentUrl });
        else notify("error", e instanceof Error ? e.message : String(e));
      })
      .finally(() => setSigningIn(false));
  };
  return (
    <section class="signin" aria-label="Sign in">
      <p>Sign in with your work account to see the groups you can activate.</p>
      <button type="button" class="primary" disabled={signingIn} onClick={signIn}>
        {signingIn ? "Waiting for your browser…" : "Sign in"}
      </button>
      <p class="muted small">Your browser opens for sign-in; PIM Tray never sees your password.</p>
      {consent ? <ConsentNeeded message={consent.message} url={consent.url} notify={notify} /> : null}
    </section>
  );
}

/**
 * Sign-in ended on "Need admin approval": what to ask an administrator for, and where. It stays
 * in the sign-in panel (a toast would be gone before the address could be copied).
 */
export function ConsentNeeded({ message, url, notify }: { message: string; url: string; notify: Notify }) {
  const copy = () => {
    const field = document.getElementById("consent-url") as HTMLInputElement | null;
    field?.select();
    // execCommand needs no clipboard permission, which the app's session denies.
    const copied = document.execCommand("copy");
    notify(
      copied ? "ok" : "error",
      copied ? "The admin-consent address is copied." : "Select the address and copy it.",
    );
  };
  return (
    <div class="consent" role="alert">
      <strong>An administrator must approve PIM Tray's sign-in for your organisation</strong>
      <p class="small" style="white-space: pre-line">
        {message}
      </p>
      <label for="consent-url">Admin-consent address</label>
      <div class="row">
        <input
          id="consent-url"
          class="grow"
          readOnly
          value={url}
          onFocus={(ev) => (ev.target as HTMLInputElement).select()}
        />
        <button type="button" onClick={copy}>
          Copy address
        </button>
      </div>
      <p class="muted small">
        Once an administrator has granted consent, sign in again. To use your organisation's own app registration
        instead, follow docs/cli.md ("Permissions and your own app registration") and enter its client id under
        Settings.
      </p>
    </div>
  );
}
