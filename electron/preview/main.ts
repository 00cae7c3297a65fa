import { parseArgs } from "node:util";
import { demoUser, startPreview } from "./preview-server.js";
import { requestsToApprove } from "./requests-to-approve.js";

// npm run preview: the popup in your browser against the demo tenant.
//   --as megan               sign in as Megan Bowen, who approves Adele's requests (default: adele)
//   --requests-to-approve    Adele asks for access on each plane, so Megan's inbox has three requests
//   --large N                a large tenant: the demo tenant plus N generated groups, N/2 directory roles and
//                            N Azure roles for Adele (as the emulator's --large), to try the popup with thousands
const { values } = parseArgs({
  options: {
    as: { type: "string", default: "adele" },
    "requests-to-approve": { type: "boolean", default: false },
    large: { type: "string" },
  },
});
const large = values.large === undefined ? undefined : Number(values.large);
if (large !== undefined && !(Number.isInteger(large) && large >= 1 && large <= 20_000)) {
  process.stderr.write(`--large must be a whole number from 1 to 20000; got '${values.large}'.\n`);
  process.exit(2);
}
const seed = large === undefined ? undefined : ({ kind: "large", groups: large } as const);
const p = await startPreview({ signInAs: values.as, ...(seed ? { seed } : {}) }).catch((e: unknown) => {
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
