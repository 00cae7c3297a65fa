// /devicelogin: the page where a person enters a device code and picks an account.
import { type Ctx, escapeHtml, sendHtml } from "../http.js";
import { decideDeviceCode, normalizeUserCode } from "./device-code.js";
import { page } from "./pages.js";
import type { IdentityState } from "./state.js";

export function deviceLoginPage(state: IdentityState, ctx: Ctx, message = ""): void {
  const users = state.deps
    .users()
    .map(
      (u) =>
        `<option value="${escapeHtml(u.id)}">${escapeHtml(u.displayName)} (${escapeHtml(u.userPrincipalName)})</option>`,
    )
    .join("");
  sendHtml(
    ctx,
    200,
    page(
      "Enter code",
      `${message ? `<p role="status">${escapeHtml(message)}</p>` : ""}
        <form method="post">
          <label>Code <input name="code" autocomplete="off" autofocus></label>
          <label>Account <select name="user">${users}</select></label>
          <button type="submit" name="action" value="approve">Sign in</button>
          <button type="submit" name="action" value="deny">Cancel</button>
        </form>`,
    ),
  );
}

export function deviceLoginSubmit(state: IdentityState, ctx: Ctx): void {
  const form = new URLSearchParams(ctx.bodyText);
  const approve = form.get("action") !== "deny";
  const code = form.get("code") ?? "";
  const clientId = [...state.deviceCodes.values()].find((d) => d.userCode === normalizeUserCode(code))?.clientId;
  const ok = decideDeviceCode(state, code, form.get("user"), approve);
  deviceLoginPage(
    state,
    ctx,
    ok
      ? approve && clientId && state.consentMissing(clientId)
        ? "Need admin approval: this app needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it."
        : approve
          ? "You have signed in. You may now close this window and return to the application."
          : "Sign-in canceled."
      : "That code was not recognised or has expired. Check the code and try again.",
  );
}
