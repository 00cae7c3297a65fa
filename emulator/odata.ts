// The subset of OData that Graph's PIM endpoints accept: `eq`/`in` clauses joined by `and`,
// $select, $expand with a nested $select, $top and opaque $skiptoken paging.
import { GraphFault } from "./graph/fault.js";

export interface FilterClause {
  field: string;
  values: string[];
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      // OData escapes a quote inside a string by doubling it.
      let j = i + 1;
      let value = "";
      for (;;) {
        if (j >= text.length)
          throw new GraphFault(400, "BadRequest", `Invalid filter clause: unterminated string in '${text}'.`);
        if (text[j] === "'" && text[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (text[j] === "'") {
          break;
        } else {
          value += text[j];
          j++;
        }
      }
      tokens.push(`'${value}`);
      i = j + 1;
    } else if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push(ch);
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s(),']/.test(text[j] ?? "")) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

function literal(tok: string | undefined, filter: string): string {
  if (tok === undefined) throw new GraphFault(400, "BadRequest", `Invalid filter clause: '${filter}' ends early.`);
  return tok.startsWith("'") ? tok.slice(1) : tok;
}

/** Parses `a eq 'x' and b in ('y','z')`; fields must be in `allowed` (matched case-insensitively). */
export function parseFilter(filter: string | null, allowed: readonly string[]): FilterClause[] {
  if (!filter?.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let i = 0;
  const balanced = tokens[0] === "(" && tokens[tokens.length - 1] === ")";
  if (balanced) {
    tokens.shift();
    tokens.pop();
  }
  while (i < tokens.length) {
    const rawField = tokens[i++] ?? "";
    const field = allowed.find((a) => a.toLowerCase() === rawField.toLowerCase());
    if (!field) {
      throw new GraphFault(
        400,
        "BadRequest",
        `Invalid filter clause: the property '${rawField}' cannot be used in $filter here. Supported: ${allowed.join(", ")}.`,
      );
    }
    const op = (tokens[i++] ?? "").toLowerCase();
    if (op === "eq") {
      clauses.push({ field, values: [literal(tokens[i++], filter)] });
    } else if (op === "in") {
      if (tokens[i++] !== "(")
        throw new GraphFault(400, "BadRequest", `Invalid filter clause: 'in' needs a list in parentheses.`);
      const values: string[] = [];
      while (tokens[i] !== ")") {
        values.push(literal(tokens[i++], filter));
        if (tokens[i] === ",") i++;
        else if (tokens[i] !== ")")
          throw new GraphFault(400, "BadRequest", `Invalid filter clause: malformed list in '${filter}'.`);
      }
      i++;
      clauses.push({ field, values });
    } else {
      throw new GraphFault(
        400,
        "BadRequest",
        `Invalid filter clause: the operator '${op || "(none)"}' is not supported; use eq or in.`,
      );
    }
    if (i < tokens.length) {
      if ((tokens[i] ?? "").toLowerCase() !== "and") {
        throw new GraphFault(
          400,
          "BadRequest",
          `Invalid filter clause: only 'and' may join clauses, found '${tokens[i]}'.`,
        );
      }
      i++;
    }
  }
  return clauses;
}

/** Values compare case-insensitively: GUIDs and PIM's enums are both case-insensitive. */
export function matches(item: Record<string, unknown>, clauses: FilterClause[]): boolean {
  return clauses.every((c) => {
    const v = item[c.field];
    const s = typeof v === "string" ? v.toLowerCase() : String(v).toLowerCase();
    return c.values.some((want) => want.toLowerCase() === s);
  });
}

export interface ExpandItem {
  name: string;
  select: string[] | null;
  /** Raw nested options, e.g. `$expand=rules` inside `policy(...)`. */
  nested: string;
}

function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (cur.trim()) out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseExpand(expand: string | null, allowed: readonly string[], typeName: string): ExpandItem[] {
  if (!expand?.trim()) return [];
  return splitTopLevel(expand, ",").map((part) => {
    const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(part);
    const name = allowed.find((a) => a.toLowerCase() === (m?.[1] ?? "").toLowerCase());
    if (!m || !name) {
      throw new GraphFault(
        400,
        "BadRequest",
        `Could not find a property named '${m?.[1] ?? part}' on type '${typeName}'.`,
      );
    }
    const nested = m[2] ?? "";
    let select: string[] | null = null;
    for (const opt of splitTopLevel(nested, ";")) {
      const [k, v] = opt.split("=", 2);
      if (k?.trim().toLowerCase() === "$select" && v) select = v.split(",").map((s) => s.trim());
    }
    return { name, select, nested };
  });
}

export function applySelect<T extends Record<string, unknown>>(
  item: T,
  select: string[] | null,
): Record<string, unknown> {
  if (!select) return item;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(item)) {
    if (key.startsWith("@odata")) out[key] = item[key];
  }
  for (const s of select) {
    const key = Object.keys(item).find((k) => k.toLowerCase() === s.toLowerCase());
    if (key) out[key] = item[key];
  }
  return out;
}

export function parseSelect(select: string | null): string[] | null {
  return select?.trim()
    ? select
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : null;
}

export interface Page<T> {
  items: T[];
  nextSkip: number | null;
}

/** Pages `items` by `$top` (or the default page size) from the offset carried in `$skiptoken`. */
export function paginate<T>(items: T[], query: URLSearchParams, defaultPageSize: number): Page<T> {
  const topRaw = query.get("$top");
  let top = defaultPageSize;
  if (topRaw !== null) {
    const n = Number(topRaw);
    if (!Number.isInteger(n) || n < 1 || n > 999) {
      throw new GraphFault(400, "BadRequest", `Invalid $top value '${topRaw}': use a whole number from 1 to 999.`);
    }
    top = n;
  }
  let offset = 0;
  const token = query.get("$skiptoken");
  if (token) {
    try {
      const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown };
      if (typeof parsed.o !== "number" || parsed.o < 0) throw new Error("bad offset");
      offset = parsed.o;
    } catch {
      throw new GraphFault(400, "BadRequest", "The $skiptoken is not valid. Start again from the first page.");
    }
  }
  const slice = items.slice(offset, offset + top);
  return { items: slice, nextSkip: offset + top < items.length ? offset + top : null };
}

export function skipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), "utf8").toString("base64url");
}

const KNOWN_OPTIONS = new Set(["$filter", "$select", "$expand", "$top", "$skiptoken", "$count", "$orderby"]);

export function rejectUnknownOptions(query: URLSearchParams): void {
  for (const key of query.keys()) {
    if (key.startsWith("$") && !KNOWN_OPTIONS.has(key.toLowerCase())) {
      throw new GraphFault(
        400,
        "BadRequest",
        `Query option '${key}' is not allowed. Make sure that the query option is supported.`,
      );
    }
  }
}
