import { main } from "./main.js";

// Exit explicitly once output is flushed: keep-alive sockets must not hold the process open.
main(process.argv).then(
  (code) => process.stdout.write("", () => process.exit(code)),
  (e: unknown) => {
    process.stderr.write(`pimtray: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
