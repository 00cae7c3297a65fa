import type { ActivationOutcome } from "../engine/activation/activation-service.js";
import { parseIsoDuration, toIsoDuration } from "../engine/duration.js";
import type { Engine } from "../engine/engine.js";
import { ConsentRequiredError, PimTrayError } from "../engine/errors.js";
import type { PolicySummary } from "../engine/graph/pim-client.js";
import type { LifecycleService } from "../engine/lifecycle/lifecycle-service.js";
import type { Logger } from "../engine/logger.js";
import { outcomeText } from "../engine/notify/outcome-texts.js";
import { notificationFor } from "../engine/notify/texts.js";
import type { Profile } from "../engine/profiles/settings-schema.js";
import { groupHints } from "../engine/resolve.js";
import {
  isChannel,
  validateRequest,
  type AppState,
  type Channel,
  type EligibleView,
  type OutcomeView,
  type ProfileView,
  type Pushes,
  type PushChannel,
  type Responses,
  type Result,
} from "../shared/ipc-contract.js";

// Everything behind the IPC contract, free of Electron: the Electron IPC adapter and the preview
// harness both call invoke(). Payloads are validated here, because the renderer is untrusted.

/** The running token cache, as Settings → Tokens shows and switches it. */
export interface TokenStorageControl {
  /** Whether the OS has a real key store for the token cache (false on Linux basic_text). */
  readonly encryptionAvailable: boolean;
  /** Whether tokens are encrypted on disk right now; false means memory only. */
  readonly encrypted: boolean;
  /** Memory deletes the cache file at once; encrypted (where available) writes it at once. */
  use(preference: "encrypted" | "memory"): Promise<void>;
}

export interface AppPlatform {
  setStartAtLogin(enabled: boolean): Promise<void>;
  openExternal(url: string): Promise<void>;
  readonly tokenStorage: TokenStorageControl;
  /** Hides the popup (back to the tray). */
  hidePopup(): void;
}

/** The only pages the popup may open. Add one only when the popup links to it. */
export const EXTERNAL_URLS: readonly string[] = ["https://learn.microsoft.com/entra/id-governance/privileged-identity-management/groups-activate-roles"];

export function isAllowedExternal(url: string): boolean {
  // Exact strings, not hosts: a host allow-list let a compromised renderer open any page on an
  // allowed host (anyone's github.com repository, an aka.ms link that redirects anywhere).
  // Nothing is parsed or normalised, so no variant slips through: case, port, user info, query.
  return EXTERNAL_URLS.includes(url);
}

function policyView(p: PolicySummary) {
  return {
    known: p.known,
    maxMinutes: p.maxDurationMs === null ? null : Math.round(p.maxDurationMs / 60_000),
    approvalRequired: p.approvalRequired,
    approvers: p.approvers.map((a) => a.description ?? "an approver"),
    mfaRequired: p.mfaRequired,
    authContext: p.authContext,
    justificationRequired: p.justificationRequired,
    ticketRequired: p.ticketRequired,
  };
}

function outcomeView(o: ActivationOutcome): OutcomeView {
  return {
    groupId: o.groupId,
    groupName: o.groupName,
    accessId: o.accessId,
    status: o.status,
    requestId: o.requestId,
    endDateTime: o.endDateTime,
    startDateTime: o.startDateTime,
    message: outcomeText(o),
    error: o.error ? { kind: o.error.kind, message: o.error.message } : null,
  };
}

function profileView(p: Profile): ProfileView {
  return {
    id: p.id,
    name: p.name,
    targets: p.targets,
    durationMinutes: p.duration ? Math.round((parseIsoDuration(p.duration) ?? 0) / 60_000) : null,
    justification: p.justification ?? null,
    ticket: p.ticket ?? null,
    autoActivate: p.autoActivate,
    keepActive: p.keepActive,
    notifyLeadMinutes: p.notifyLeadMinutes ?? null,
  };
}

const READ_ONLY = new Set<Channel>(["app:get-state", "pim:eligible", "shell:open-external", "app:hide"]);

export class AppController {
  /** Group names by `groupId:accessId`, from the last eligibility list the popup loaded. */
  #eligibleNames = new Map<string, string>();
  #pushListeners = new Set<<P extends PushChannel>(channel: P, data: Pushes[P]) => void>();

  constructor(
    private readonly engine: Engine,
    private readonly lifecycle: LifecycleService,
    private readonly platform: AppPlatform,
    private readonly logger: Logger,
  ) {
    lifecycle.onState(() => void this.#pushState());
    lifecycle.on((e) => {
      const text = notificationFor(e, Date.now());
      if (text) this.#push("app:event", { type: e.type, title: text.title, body: text.body, groupId: "target" in e ? e.target.groupId : null });
    });
  }

  onPush(listener: <P extends PushChannel>(channel: P, data: Pushes[P]) => void): () => void {
    this.#pushListeners.add(listener);
    return () => this.#pushListeners.delete(listener);
  }

  focus(groupId: string | null): void {
    this.#push("app:focus", { groupId });
  }

  #push<P extends PushChannel>(channel: P, data: Pushes[P]): void {
    for (const l of this.#pushListeners) l(channel, data);
  }

  async #pushState(): Promise<void> {
    try {
      this.#push("app:state", await this.state());
    } catch (e) {
      this.logger.warn("could not build the app state", e);
    }
  }

  async state(): Promise<AppState> {
    const pic = this.lifecycle.picture;
    const activeHints = groupHints(pic.active);
    const s = await this.engine.settings.load();
    const c = this.engine.connection;
    const tokens = this.platform.tokenStorage;
    return {
      account: pic.account ? { username: pic.account.username, name: pic.account.name, tenantId: pic.account.tenantId } : null,
      needsSignIn: pic.needsSignIn || !pic.account,
      online: pic.online,
      active: pic.active.map((a) => ({
        groupId: a.groupId,
        groupName: a.groupName,
        groupHint: activeHints.get(a.groupId) ?? null,
        accessId: a.accessId,
        startDateTime: a.startDateTime,
        endDateTime: a.endDateTime,
        deactivatableAt: new Date(Date.parse(a.startDateTime) + 5 * 60_000).toISOString(),
      })),
      pending: pic.pending.map((r) => ({ requestId: r.id, groupId: r.groupId, groupName: r.groupName, accessId: r.accessId, status: r.status, createdDateTime: r.createdDateTime, startDateTime: r.startDateTime })),
      profiles: s.profiles.map(profileView),
      settings: {
        cloud: c.cloud,
        tenant: c.tenant,
        clientId: c.clientId,
        leadMinutes: s.notifications.leadMinutes,
        startAtLogin: s.startAtLogin,
        // What is really the case, not only what was asked for.
        tokenStorage: tokens.encrypted ? "encrypted" : "memory",
        encryptionAvailable: tokens.encryptionAvailable,
        customEndpoints: c.custom ? { authorityHost: new URL(c.authority).origin, graphEndpoint: c.graphBaseUrl } : null,
        tokenStorageNote: tokens.encrypted
          ? "Tokens are encrypted on disk with your operating system's key store: you stay signed in after a restart."
          : !tokens.encryptionAvailable
            ? "Tokens are kept in memory only: this desktop has no key store (such as GNOME Keyring or KWallet), so nothing is written to disk. You sign in again after a restart."
            : "Tokens are kept in memory only, as you chose: nothing is on disk, and you sign in again after a restart.",
      },
      lastJustification: s.lastJustification ?? null,
      lastSyncAt: pic.lastSyncAt ? new Date(pic.lastSyncAt).toISOString() : null,
    };
  }

  /** The single entry point for every channel: validate, dispatch, and turn errors into plain words. */
  async invoke(channel: unknown, payload: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) return { ok: false, error: { kind: "usage", message: "Unknown request." } };
    const v = validateRequest(channel, payload);
    if (!v.ok) return { ok: false, error: { kind: "usage", message: v.message } };
    try {
      const value = await this.#dispatch(channel, v.value);
      // Every view of the popup (and the tray menu) follows state pushes after a change.
      if (!READ_ONLY.has(channel)) void this.#pushState();
      return { ok: true, value };
    } catch (e) {
      if (e instanceof PimTrayError) {
        this.logger.warn(`${channel} failed: ${e.message}`, e.cause);
        return { ok: false, error: { kind: e.kind, message: e.message, ...(e instanceof ConsentRequiredError ? { adminConsentUrl: e.facts.adminConsentUrl } : {}) } };
      }
      this.logger.error(`${channel} crashed`, e);
      return { ok: false, error: { kind: "internal", message: "Something went wrong inside PIM Tray. Try again; the details are in the log." } };
    }
  }

  async #loadEligible() {
    return this.#rememberNames(await this.engine.pim.eligibilities());
  }

  #rememberNames<T extends { groupId: string; accessId: string; groupName: string }>(list: T[]): T[] {
    this.#eligibleNames = new Map(list.map((e) => [`${e.groupId}:${e.accessId}`, e.groupName]));
    return list;
  }

  async #dispatch(channel: Channel, p: unknown): Promise<Responses[Channel]> {
    const { engine, lifecycle } = this;
    switch (channel) {
      case "app:get-state":
        return this.state();
      case "auth:sign-in": {
        const r = p as { method?: "browser" | "device-code"; selectAccount?: boolean };
        await engine.signIn({ method: r.method ?? "browser", selectAccount: r.selectAccount ?? false });
        await lifecycle.signedIn();
        return this.state();
      }
      case "auth:sign-out": {
        await engine.signOut();
        await lifecycle.refresh("signed-out");
        return this.state();
      }
      case "pim:eligible": {
        const rows = await engine.eligibleWithPolicies();
        const list = this.#rememberNames(rows.map((r) => r.eligibility));
        const hints = groupHints(list);
        return rows.map(({ eligibility: e, policy }): EligibleView => ({ groupId: e.groupId, groupName: e.groupName, groupHint: hints.get(e.groupId) ?? null, accessId: e.accessId, eligibleUntil: e.endDateTime, policy: policyView(policy) }));
      }
      case "pim:activate": {
        const r = p as { groupId: string; accessId: "member" | "owner"; durationMinutes: number; justification?: string; ticket?: { system: string; number: string }; startAt?: string; validateOnly?: boolean };
        const key = `${r.groupId.toLowerCase()}:${r.accessId}`;
        // The popup loaded the eligibility list before offering Activate; read it again only if this group is not in it.
        if (!this.#eligibleNames.has(key)) await this.#loadEligible();
        const groupName = this.#eligibleNames.get(key);
        if (!groupName) throw new PimTrayError("not-found", "You are not eligible for that group any more. Refresh the list.");
        const outcome = await engine.activation.activate(
          {
            target: { groupId: r.groupId.toLowerCase(), accessId: r.accessId, groupName },
            durationMs: r.durationMinutes * 60_000,
            ...(r.justification?.trim() ? { justification: r.justification } : {}),
            ...(r.ticket ? { ticket: r.ticket } : {}),
            ...(r.startAt ? { startAt: new Date(r.startAt) } : {}),
            ...(r.validateOnly ? { validateOnly: true } : {}),
          },
          { waitFor: "provisioned", timeoutMs: 60_000 },
        );
        if (!r.validateOnly) await engine.rememberJustification(r.justification);
        await lifecycle.refresh("activated");
        return outcomeView(outcome);
      }
      case "pim:deactivate": {
        const r = p as { groupId: string; accessId: "member" | "owner" };
        const name = lifecycle.picture.active.find((a) => a.groupId === r.groupId.toLowerCase() && a.accessId === r.accessId)?.groupName;
        const outcome = await engine.activation.deactivate({ groupId: r.groupId.toLowerCase(), accessId: r.accessId, groupName: name ?? r.groupId });
        await lifecycle.refresh("deactivated");
        return outcomeView(outcome);
      }
      case "pim:cancel": {
        await engine.activation.cancel((p as { requestId: string }).requestId);
        await lifecycle.refresh("canceled");
        return this.state();
      }
      case "profiles:save": {
        const r = p as { id?: string; name: string; targets: Array<{ groupId: string; accessId: "member" | "owner"; groupName?: string }>; durationMinutes?: number; justification?: string; ticket?: { system: string; number: string }; autoActivate: boolean; keepActive: { enabled: boolean; until?: string; maxRenewals?: number }; notifyLeadMinutes?: number[] };
        // Every optional field is present, undefined when empty, so an edit clears what the form cleared.
        const fields = {
          name: r.name,
          targets: r.targets,
          duration: r.durationMinutes ? toIsoDuration(r.durationMinutes * 60_000) : undefined,
          justification: r.justification?.trim() || undefined,
          ticket: r.ticket,
          autoActivate: r.autoActivate,
          keepActive: r.keepActive,
          notifyLeadMinutes: r.notifyLeadMinutes?.length ? r.notifyLeadMinutes : undefined,
        };
        const saved = r.id ? await engine.profiles.edit(r.id, fields) : await engine.profiles.add(fields);
        return profileView(saved);
      }
      case "profiles:delete": {
        await engine.profiles.remove((p as { id: string }).id);
        return this.state();
      }
      case "profiles:reorder": {
        const ids = (p as { ids: string[] }).ids;
        await engine.settings.update((s) => {
          const order = new Map(ids.map((id, i) => [id, i]));
          s.profiles.sort((a, b) => (order.get(a.id) ?? 1e9) - (order.get(b.id) ?? 1e9));
        });
        return this.state();
      }
      case "profiles:activate": {
        const profile = await engine.profiles.get((p as { id: string }).id);
        return (await lifecycle.activateProfile(profile, { reason: "from the popup" })).map(outcomeView);
      }
      case "settings:update": {
        const r = p as { leadMinutes?: number[]; startAtLogin?: boolean; tokenStorage?: "encrypted" | "memory"; cloud?: "global" | "usgov" | "usgovdod" | "china"; tenant?: string; clientId?: string };
        if (r.startAtLogin !== undefined) await this.platform.setStartAtLogin(r.startAtLogin);
        // Switched before the choice is saved: a switch that fails leaves the saved choice as it was.
        if (r.tokenStorage) await this.platform.tokenStorage.use(r.tokenStorage);
        await engine.settings.update((s) => {
          if (r.leadMinutes) s.notifications.leadMinutes = r.leadMinutes;
          if (r.startAtLogin !== undefined) s.startAtLogin = r.startAtLogin;
          if (r.tokenStorage) s.tokenStorage = r.tokenStorage;
          if (r.cloud) s.connection.cloud = r.cloud;
          if (r.tenant !== undefined) s.connection.tenant = r.tenant.trim() || "organizations";
          if (r.clientId !== undefined) {
            if (r.clientId) s.connection.clientId = r.clientId;
            else delete s.connection.clientId;
          }
        });
        return this.state();
      }
      case "app:hide":
        this.platform.hidePopup();
        return null;
      case "shell:open-external": {
        const url = (p as { url: string }).url;
        if (!isAllowedExternal(url)) throw new PimTrayError("usage", "PIM Tray opens only the documentation pages it links to itself.");
        await this.platform.openExternal(url);
        return null;
      }
    }
  }
}
