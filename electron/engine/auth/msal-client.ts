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
  /** Whether MSAL was given the authority's metadata kept from an earlier run (and so reads none). */
  keptMetadata: boolean;
  /** The authority's metadata MSAL read from the network in this process (JSON text), or null while none. */
  readMetadata: () => string | null;
}

/** The MSAL public client over our HTTP layer and the given cache persistence, logging without PII. */
export function createMsalClient(options: {
  connection: ResolvedConnection;
  http: HttpClient;
  persistence: TokenCachePersistence;
  logger: Logger;
  /** The authority's OpenID configuration kept from an earlier run (authority-metadata.ts), if any. */
  authorityMetadata?: string | null;
}): MsalClient {
  const { connection, logger } = options;
  const network = new MsalNetworkModule(options.http);
  // MSAL lower-cases the authority before it builds the document's URL.
  const openIdConfiguration = `${connection.authority}/v2.0/.well-known/openid-configuration`.toLowerCase();
  let read: string | null = null;
  const pca = new PublicClientApplication({
    auth: {
      clientId: connection.clientId,
      authority: connection.authority,
      // Custom hosts (the emulator, a sovereign proxy) must be trusted explicitly, or MSAL asks
      // login.microsoftonline.com to discover them.
      ...(connection.custom ? { knownAuthorities: [connection.authorityHostPort] } : {}),
      // MSAL takes this document instead of reading it (and checks nothing of it): it is given only what MSAL
      // itself read and accepted for this very authority, within the store's TTL.
      ...(options.authorityMetadata ? { authorityMetadata: options.authorityMetadata } : {}),
      clientCapabilities: ["cp1"],
    },
    cache: {
      cachePlugin: cachePlugin(options.persistence, (e) =>
        logger.warn("token cache could not be read; starting signed out", e),
      ),
    },
    system: {
      networkClient: oneDiscoveryAtATime(network, (url, response) => {
        const u = new URL(url);
        if (response.status === 200 && `${u.origin}${u.pathname}`.toLowerCase() === openIdConfiguration)
          read = JSON.stringify(response.body);
      }),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) logger.debug(`msal: ${message}`);
        },
      },
    },
  });
  return { pca, network, keptMetadata: Boolean(options.authorityMetadata), readMetadata: () => read };
}

/**
 * MSAL reads the authority's metadata (its OpenID configuration) before its first token, and keeps it once
 * read; but token requests made together, one per plane at start, each read it before any answer is kept.
 * Reads of the same document made while one is in flight share its answer (each caller gets its own copy).
 * Nothing is kept after it: MSAL's own cache decides when to read again. `onRead` sees each answer once.
 */
function oneDiscoveryAtATime(
  network: INetworkModule,
  onRead: (url: string, response: NetworkResponse<unknown>) => void,
): INetworkModule {
  const inFlight = new Map<string, Promise<NetworkResponse<unknown>>>();
  return {
    sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number) {
      if (!new URL(url).pathname.endsWith("/.well-known/openid-configuration"))
        return network.sendGetRequestAsync<T>(url, options, timeout);
      let read = inFlight.get(url);
      if (!read) {
        read = network
          .sendGetRequestAsync<unknown>(url, options, timeout)
          .then((r) => {
            onRead(url, r);
            return r;
          })
          .finally(() => inFlight.delete(url));
        inFlight.set(url, read);
      }
      return read.then((r) => structuredClone(r) as NetworkResponse<T>);
    },
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      network.sendPostRequestAsync<T>(url, options),
  };
}
