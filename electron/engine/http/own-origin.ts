import { ArmError, GraphError, PimTrayError } from "../errors.js";

// A next-page link carries the bearer token when followed, so it is followed only on the service's
// own origin: a link to another host would hand the token over. Graph and ARM page the same way.

const SERVICES = {
  graph: { name: "Microsoft Graph", setting: "the Graph endpoint setting", error: GraphError },
  arm: { name: "Azure Resource Manager", setting: "the Azure Resource Manager endpoint setting", error: ArmError },
} as const;

/** Throws the service's own error unless `link` is on `origin`. */
export function assertOwnOrigin(link: string, origin: string, service: keyof typeof SERVICES): void {
  const s = SERVICES[service];
  let target: URL;
  try {
    target = new URL(link);
  } catch (e) {
    throw new PimTrayError(
      "server",
      `${s.name} sent a next-page link that is not a URL; nothing more was read. Try again.`,
      { cause: e },
    );
  }
  if (target.origin === origin) return;
  throw new s.error(
    200,
    "ForeignNextLink",
    `next-page link points to ${target.protocol}//${target.host}, not ${origin}`,
    null,
    "server",
    `${s.name} sent a next-page link to another host, ${target.host}; PIM Tray did not follow it, so your sign-in was not sent there. Check ${s.setting} and any proxy between you and ${new URL(origin).host}.`,
  );
}
