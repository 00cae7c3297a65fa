// What AuthService needs of MSAL, in one module it imports when it first needs MSAL: a warm CLI start whose
// tokens are all in the cache never loads MSAL (warm-token.ts).
export { acquireAccessToken } from "./access-token.js";
export { createMsalClient } from "./msal-client.js";
export { SignInPrompts } from "./sign-in-prompt.js";
