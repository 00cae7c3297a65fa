import { parseArgs } from "node:util";
import { demoUser, startPreview } from "./preview-server.js";
import { requestsToApprove } from "./requests-to-approve.js";

// npm run preview: the popup in your browser against the demo tenant.
//   --as megan               sign in as Megan Bowen, who approves Adele's requests (default: adele)
//   --requests-to-approve    Adele asks for access on each plane, so Megan's inbox has three requests
const { values } = parseArgs({
  options: { as: { type: "string", default: "adele" }, "requests-to-approve": { type: "boolean", default: false } },
});
const p = await startPreview({ signInAs: values.as }).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
const filled = values["requests-to-approve"] ? await requestsToApprove(p.emulator) : [];
const user = demoUser(p.emulator, values.as)?.displayName ?? values.as;
process.stdout.write(
  [
    `PIM Tray preview: ${p.url}`,
    `(the demo tenant signs in as ${user}; Ctrl+C to stop)`,
    ...(filled.length
      ? [`Adele asked for access on ${filled.length} planes: turn on "I approve requests" as Megan to see them.`]
      : []),
    "",
  ].join("\n"),
);
const stop = () => void p.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
