// A tenant that has not consented to the client: the "Need admin approval" page and AADSTS65001.
import { type Ctx, escapeHtml, sendHtml } from "../http.js";
import type { EmulatedUser } from "../model.js";
import { hiddenInputs, page } from "./pages.js";

/** Names Entra puts in AADSTS65001 for well-known public clients. */
const CLIENT_NAMES: Record<string, string> = {
  "14d82eec-204b-4c2f-b7e8-296a70dab67e": "Microsoft Graph Command Line Tools",
  "04b07795-8ddb-461a-bbee-02f9e1bf7b46": "Microsoft Azure CLI",
  "1950a258-227b-4e31-a9cf-717495945fc2": "Microsoft Azure PowerShell",
};

/** Entra's AADSTS65001 text, without the code prefix. */
export function consentDescription(clientId: string): string {
  return `The user or administrator has not consented to use the application with ID '${clientId}' named '${CLIENT_NAMES[clientId.toLowerCase()] ?? "PIM Tray"}'. Send an interactive authorization request for this user and resource.`;
}

/**
 * Entra's "Need admin approval" page. Its one way back to the app, "Return to the application
 * without granting consent", posts consent_required with AADSTS65001 to the redirect URI.
 */
export function needAdminApproval(ctx: Ctx, user: EmulatedUser, q: URLSearchParams, clientId: string): void {
  const fields = {
    error: "consent_required",
    error_description: `AADSTS65001: ${consentDescription(clientId)}`,
    state: q.get("state") ?? "",
  };
  const name = CLIENT_NAMES[clientId.toLowerCase()] ?? "This app";
  sendHtml(
    ctx,
    200,
    page(
      "Need admin approval",
      `<p>${escapeHtml(user.userPrincipalName)}</p>
        <p role="alert">${escapeHtml(name)} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
        <form method="post" action="${escapeHtml(q.get("redirect_uri") ?? "")}">${hiddenInputs(fields)}<button type="submit" id="return">Return to the application without granting consent</button></form>`,
    ),
  );
}
