import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { parseLimit } from "../parse.js";
import { historyTable } from "../present.js";

// `pimtray history`: the local audit log, newest last; damaged lines are counted, not fatal.

export async function cmdHistory(ctx: CliContext, o: { limit?: string }): Promise<number> {
  const limit = parseLimit(o.limit);
  const { entries, skipped } = await ctx.history.read(limit);
  if (ctx.out.json) {
    ctx.out.write(JSON.stringify({ entries, skippedLines: skipped }));
    return EXIT.ok;
  }
  if (!entries.length) ctx.out.write("No activations recorded yet.");
  else ctx.out.write(historyTable(entries, ctx.out));
  if (skipped) ctx.out.error(`${skipped} damaged line(s) in ${ctx.history.path} were skipped.`);
  return EXIT.ok;
}
