import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { ConfigError, NotFoundError, UsageError } from "../errors.js";
import { backupFile, writeFileAtomic } from "../fs-util.js";
import {
  CURRENT_SCHEMA_VERSION,
  defaultSettings,
  describeIssues,
  profileSchema,
  settingsSchema,
  type Profile,
  type ProfileInput,
  type Settings,
} from "./settings-schema.js";

/** Upgrades a document from version N to N+1. Version 1 is the first; later versions add steps here. */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  // 1 → 2: profiles may hold roles and Azure roles. A version-1 target is a group, which version 2
  // still writes without a kind; every plane starts on, as groups alone were before.
  1: (doc) => ({ ...doc, planes: { group: true, role: true, azure: true } }),
};

/**
 * Where both front ends keep settings and profiles. The app's electron-store adapter implements
 * the same interface on the same file, so the CLI and the tray see the same profiles.
 */
export interface SettingsRepository {
  load(): Promise<Settings>;
  update(change: (s: Settings) => Settings | void): Promise<Settings>;
  readonly path: string;
}

export class FileSettingsStore implements SettingsRepository {
  constructor(readonly path: string) {}

  /** Reads and validates. A damaged file is copied aside and reported; it is never overwritten. */
  async load(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return defaultSettings();
      throw new ConfigError(`Could not read ${this.path}: ${(e as Error).message}`, { cause: e });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const copy = await backupFile(this.path, "corrupt");
      throw new ConfigError(
        `${this.path} is not valid JSON (${(e as Error).message}). A copy is kept at ${copy}. Fix the file, or move it away to start with fresh settings.`,
        { cause: e, details: { backup: copy } },
      );
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      const copy = await backupFile(this.path, "corrupt");
      throw new ConfigError(
        `${this.path} does not hold a settings object. A copy is kept at ${copy}. Move the file away to start with fresh settings.`,
        { details: { backup: copy } },
      );
    }
    const doc = raw as Record<string, unknown>;
    const version = typeof doc.schemaVersion === "number" ? doc.schemaVersion : 1;
    if (version > CURRENT_SCHEMA_VERSION) {
      throw new ConfigError(
        `${this.path} was written by a newer PIM Tray (settings version ${version}; this one understands ${CURRENT_SCHEMA_VERSION}). Update PIM Tray; the file was left untouched.`,
      );
    }
    let migrated = { ...doc, schemaVersion: version };
    if (version < CURRENT_SCHEMA_VERSION) {
      for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (!step) throw new ConfigError(`No migration from settings version ${v}. The file was left untouched.`);
        migrated = { ...step(migrated), schemaVersion: v + 1 };
      }
    }
    const parsed = settingsSchema.safeParse(migrated);
    if (!parsed.success) {
      const copy = await backupFile(this.path, "corrupt");
      throw new ConfigError(
        `${this.path} has invalid settings: ${describeIssues(parsed.error)}. A copy is kept at ${copy}. Fix those entries, or edit the profile with \`pimtray profile edit\`.`,
        {
          details: { backup: copy },
        },
      );
    }
    if (version < CURRENT_SCHEMA_VERSION) {
      await backupFile(this.path, "before-migration");
      await this.#write(parsed.data);
    }
    return parsed.data;
  }

  async update(change: (s: Settings) => Settings | void): Promise<Settings> {
    const draft = structuredClone(await this.load());
    const next = change(draft) ?? draft;
    const parsed = settingsSchema.safeParse(next);
    if (!parsed.success) throw new UsageError(`Not saved: ${describeIssues(parsed.error)}.`);
    await this.#write(parsed.data);
    return parsed.data;
  }

  async #write(s: Settings): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(s, null, 2)}\n`, 0o600);
  }
}

/** Profile operations over a settings repository. */
export class ProfileService {
  constructor(private readonly repo: SettingsRepository) {}

  async list(): Promise<Profile[]> {
    return (await this.repo.load()).profiles;
  }

  async find(name: string): Promise<Profile | undefined> {
    const k = name.trim().toLowerCase();
    return (await this.list()).find((p) => p.name.toLowerCase() === k || p.id === name);
  }

  async get(name: string): Promise<Profile> {
    const p = await this.find(name);
    if (!p) {
      const names = (await this.list()).map((x) => x.name);
      throw new NotFoundError(
        `No profile named '${name}'.${names.length ? ` Profiles: ${names.join(", ")}.` : " Create one with `pimtray profile add`."}`,
      );
    }
    return p;
  }

  /** Validates before saving; the message names the field and the fix. */
  validate(input: unknown): Profile {
    const parsed = profileSchema.safeParse(input);
    if (!parsed.success) throw new UsageError(`The profile is not valid: ${describeIssues(parsed.error)}.`);
    return parsed.data;
  }

  async add(input: Omit<ProfileInput, "id">): Promise<Profile> {
    const profile = this.validate({ ...input, id: randomUUID() });
    await this.repo.update((s) => {
      if (s.profiles.some((p) => p.name.toLowerCase() === profile.name.toLowerCase())) {
        throw new UsageError(
          `A profile named '${profile.name}' already exists. Pick another name, or change it with \`pimtray profile edit\`.`,
        );
      }
      s.profiles.push(profile);
    });
    return profile;
  }

  async edit(name: string, patch: Partial<Omit<ProfileInput, "id">>): Promise<Profile> {
    const existing = await this.get(name);
    const profile = this.validate({ ...existing, ...patch, id: existing.id });
    await this.repo.update((s) => {
      if (s.profiles.some((p) => p.id !== existing.id && p.name.toLowerCase() === profile.name.toLowerCase())) {
        throw new UsageError(`A profile named '${profile.name}' already exists.`);
      }
      s.profiles = s.profiles.map((p) => (p.id === existing.id ? profile : p));
    });
    return profile;
  }

  async remove(name: string): Promise<Profile> {
    const existing = await this.get(name);
    await this.repo.update((s) => {
      s.profiles = s.profiles.filter((p) => p.id !== existing.id);
    });
    return existing;
  }

  /** Moves a profile to a new position (0-based); the tray lists profiles in this order. */
  async move(name: string, index: number): Promise<void> {
    const existing = await this.get(name);
    await this.repo.update((s) => {
      const rest = s.profiles.filter((p) => p.id !== existing.id);
      rest.splice(Math.max(0, Math.min(index, rest.length)), 0, existing);
      s.profiles = rest;
    });
  }
}
