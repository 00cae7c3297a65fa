// What /devicecode and /token both read first from a form post, with Entra's errors when it is missing.
import { type Ctx, sendEntraError } from "../http.js";
import { type ClaimsRequest, parseClaims } from "./claims.js";

/** The client id and claims of a form post, or null once the error has been sent. */
export function clientAndClaims(ctx: Ctx, form: URLSearchParams): { clientId: string; claims: ClaimsRequest } | null {
  const clientId = form.get("client_id");
  if (!clientId) {
    sendEntraError(
      ctx,
      400,
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'client_id'.",
    );
    return null;
  }
  const claims = parseClaims(form.get("claims"));
  if (claims === "invalid") {
    sendEntraError(ctx, 400, "invalid_request", 90015, "The claims parameter is not a valid JSON object.");
    return null;
  }
  return { clientId, claims };
}
