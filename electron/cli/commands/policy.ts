import type { GlobalOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { createOut } from "../output.js";

// `pimtray policy`: the effective managed policy, where each value comes from, locked fields and problems.

export async function cmdPolicy(o: GlobalOptions): Promise<number> {
  const out = createOut(Boolean(o.json));
  if (out.json) out.write(JSON.stringify({ values: [], locked: [], problems: [], sources: [] }));
  else out.write("No managed policy is read yet.");
  return Promise.resolve(EXIT.ok);
}
