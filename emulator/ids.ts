import { createHash, randomUUID } from "node:crypto";

/** A GUID derived from a name, so that seeded tenants have stable ids across runs and docs. */
export function stableGuid(name: string): string {
  const h = createHash("sha1").update(`pimtray-emulator:${name}`).digest("hex");
  // Shape it as an RFC 4122 version-5 style GUID.
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newGuid(): string {
  return randomUUID();
}
