import {
  LogLevel,
  PublicClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from "@azure/msal-node";
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
      networkClient: oneDiscoveryAtATime(network),
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

/**
 * MSAL reads the authority's metadata (its OpenID configuration) before its first token, and keeps it once
 * read; but token requests made together, one per plane at start, each read it before any answer is kept.
 * Reads of the same document made while one is in flight share its answer (each caller gets its own copy).
 * Nothing is kept after it: MSAL's own cache decides when to read again.
 */
function oneDiscoveryAtATime(network: INetworkModule): INetworkModule {
  const inFlight = new Map<string, Promise<NetworkResponse<unknown>>>();
  return {
    sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number) {
      if (!new URL(url).pathname.endsWith("/.well-known/openid-configuration"))
        return network.sendGetRequestAsync<T>(url, options, timeout);
      let read = inFlight.get(url);
      if (!read) {
        read = network.sendGetRequestAsync<unknown>(url, options, timeout).finally(() => inFlight.delete(url));
        inFlight.set(url, read);
      }
      return read.then((r) => structuredClone(r) as NetworkResponse<T>);
    },
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      network.sendPostRequestAsync<T>(url, options),
  };
}
