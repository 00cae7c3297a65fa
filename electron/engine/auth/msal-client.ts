import { LogLevel, PublicClientApplication } from "@azure/msal-node";
import type { ResolvedConnection } from "../config.js";
import type { HttpClient } from "../http/http-client.js";
import type { Logger } from "../logger.js";
import { MsalNetworkModule } from "./msal-network.js";
import { cachePlugin, type TokenCachePersistence } from "./token-cache.js";

export interface MsalClient {
  pca: PublicClientApplication;
  /** Kept so errors can be read in full where MSAL keeps only their first word. */
  network: MsalNetworkModule;
}

/** The MSAL public client over our HTTP layer and the given cache persistence, logging without PII. */
export function createMsalClient(options: {
  connection: ResolvedConnection;
  http: HttpClient;
  persistence: TokenCachePersistence;
  logger: Logger;
}): MsalClient {
  const { connection, logger } = options;
  const network = new MsalNetworkModule(options.http);
  const pca = new PublicClientApplication({
    auth: {
      clientId: connection.clientId,
      authority: connection.authority,
      // Custom hosts (the emulator, a sovereign proxy) must be trusted explicitly, or MSAL asks
      // login.microsoftonline.com to discover them.
      ...(connection.custom ? { knownAuthorities: [connection.authorityHostPort] } : {}),
      clientCapabilities: ["cp1"],
    },
    cache: {
      cachePlugin: cachePlugin(options.persistence, (e) =>
        logger.warn("token cache could not be read; starting signed out", e),
      ),
    },
    system: {
      networkClient: network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) logger.debug(`msal: ${message}`);
        },
      },
    },
  });
  return { pca, network };
}
