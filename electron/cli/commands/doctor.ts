import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";

/** `pimtray doctor [--json] [--export FILE.zip]`: checks the connection, the token cache, policy and this computer. */
export async function cmdDoctor(ctx: CliContext, _o: { export?: string }): Promise<number> {
  ctx.out.error("pimtray doctor: not available yet.");
  return EXIT.internal;
}
