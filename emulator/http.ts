import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

/** One request as the handlers see it. Responses always carry request-id and client-request-id. */
export interface Ctx {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  bodyText: string;
  requestId: string;
  clientRequestId: string;
  res: ServerResponse;
  /** The scheme, host and port clients used to reach us. */
  origin: string;
}

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit = 1_048_576): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new BodyTooLarge(`Request body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function baseHeaders(ctx: Pick<Ctx, "requestId" | "clientRequestId">): Record<string, string> {
  return {
    "request-id": ctx.requestId,
    "client-request-id": ctx.clientRequestId,
    "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Local", Slice: "E", Ring: "0" } }),
    "cache-control": "no-store",
  };
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  ctx.res.writeHead(status, {
    ...baseHeaders(ctx),
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  ctx.res.end(text);
}

export function sendHtml(ctx: Ctx, status: number, html: string, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, {
    ...baseHeaders(ctx),
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html).toString(),
    ...headers,
  });
  ctx.res.end(html);
}

export function sendEmpty(ctx: Ctx, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { ...baseHeaders(ctx), ...headers });
  ctx.res.end();
}

/** Graph's error envelope, with innerError as Graph sends it. */
export function graphErrorBody(ctx: Pick<Ctx, "requestId" | "clientRequestId">, code: string, message: string) {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        "request-id": ctx.requestId,
        "client-request-id": ctx.clientRequestId,
      },
    },
  };
}

export function sendGraphError(
  ctx: Ctx,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(ctx, status, graphErrorBody(ctx, code, message), headers);
}

/** Entra ID's token-endpoint error format. */
export function entraErrorBody(
  ctx: Pick<Ctx, "requestId" | "clientRequestId">,
  error: string,
  aadsts: number,
  description: string,
  extra: { suberror?: string; claims?: string } = {},
) {
  const ts = new Date().toISOString().replace("T", " ").slice(0, 19) + "Z";
  return {
    error,
    error_description: `AADSTS${aadsts}: ${description} Trace ID: ${ctx.requestId} Correlation ID: ${ctx.clientRequestId} Timestamp: ${ts}`,
    error_codes: [aadsts],
    timestamp: ts,
    trace_id: ctx.requestId,
    correlation_id: ctx.clientRequestId,
    error_uri: `${"origin" in ctx ? String((ctx as Ctx).origin) : ""}/error?code=${aadsts}`,
    ...(extra.suberror ? { suberror: extra.suberror } : {}),
    ...(extra.claims ? { claims: extra.claims } : {}),
  };
}

export function sendEntraError(
  ctx: Ctx,
  status: number,
  error: string,
  aadsts: number,
  description: string,
  extra: { suberror?: string; claims?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(ctx, status, entraErrorBody(ctx, error, aadsts, description, extra), extra.headers ?? {});
}

export function newRequestId(): string {
  return randomUUID();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
