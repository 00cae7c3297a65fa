import type { Logger } from "../logger.js";
import { odataString, type GraphClient } from "./graph-client.js";
import type { GroupIdentity } from "./pim-types.js";

// Group names for schedule instances. `$expand=group` usually carries them, but Graph sometimes returns the
// expansion empty; then a name seen before is reused, and failing that /groups is asked.

const GROUP_SELECT = "id,displayName,description,mailNickname";
export const GROUP_EXPAND = `group($select=${GROUP_SELECT})`;

/** Ids per /groups request: Graph caps how many values one `id in (...)` filter may hold. */
const LOOKUP_CHUNK = 15;

export interface GroupInfo {
  name: string;
  description: string | null;
  mailNickname: string | null;
}

/** What a schedule instance says about its group. */
export interface GroupRef {
  groupId: string;
  group?: { id?: string; displayName?: string; description?: string | null; mailNickname?: string | null } | null;
}

export function identity(info: GroupInfo | undefined): GroupIdentity {
  return { groupDescription: info?.description || null, groupMailNickname: info?.mailNickname || null };
}

export class GroupNames {
  /** Names learned from expansions, reused when a later expansion comes back empty. */
  readonly #names = new Map<string, GroupInfo>();

  constructor(
    private readonly graph: GraphClient,
    private readonly logger: Logger,
  ) {}

  /** Names for the groups of `raw`, keyed by lower-case group id; groups nobody could name are absent. */
  async resolve(raw: GroupRef[]): Promise<Map<string, GroupInfo>> {
    const { names, missing } = this.#known(raw);
    if (missing.size) await this.#lookup([...missing], names);
    return names;
  }

  /** The names `raw` carries or that were seen before, without asking Graph (for a list still arriving). */
  known(raw: readonly GroupRef[]): Map<string, GroupInfo> {
    return this.#known(raw).names;
  }

  #known(raw: readonly GroupRef[]): { names: Map<string, GroupInfo>; missing: Set<string> } {
    const names = new Map<string, GroupInfo>();
    const missing = new Set<string>();
    for (const r of raw) {
      const id = r.groupId.toLowerCase();
      const g = r.group;
      const info = g?.displayName
        ? { name: g.displayName, description: g.description ?? null, mailNickname: g.mailNickname ?? null }
        : this.#names.get(id);
      if (info) {
        names.set(id, info);
        this.#names.set(id, info);
      } else {
        missing.add(id);
      }
    }
    return { names, missing };
  }

  /** Falls back to /groups when $expand=group came back empty. Needs a group-read scope; without one we show ids. */
  async #lookup(ids: string[], into: Map<string, GroupInfo>): Promise<void> {
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const chunk = ids.slice(i, i + LOOKUP_CHUNK);
      try {
        const found = await this.graph.list<{
          id: string;
          displayName: string;
          description?: string | null;
          mailNickname?: string | null;
        }>("groups", {
          $filter: `id in (${chunk.map(odataString).join(",")})`,
          $select: GROUP_SELECT,
        });
        for (const g of found) {
          const info = {
            name: g.displayName,
            description: g.description ?? null,
            mailNickname: g.mailNickname ?? null,
          };
          into.set(g.id.toLowerCase(), info);
          this.#names.set(g.id.toLowerCase(), info);
        }
      } catch (e) {
        this.logger.info(
          `group names could not be looked up (${e instanceof Error ? e.message : String(e)}); showing ids`,
        );
        return;
      }
    }
  }
}
