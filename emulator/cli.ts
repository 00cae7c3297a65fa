import { parseArgs } from "node:util";
import { startEmulator } from "./index.js";
import { exitWhenUnused } from "./lifetime.js";
import type { SeedSpec } from "./settings.js";

const USAGE = `Usage: npm run emulator -- [--port N] [--json] [--data-dir DIR] [--large N [--large-roles N] [--large-azure N]]
                            [--provisioning-delay MS]

Starts the local Entra ID + Microsoft Graph PIM emulator over HTTPS on 127.0.0.1.
  --port N                 port to listen on; 0 (default) picks a free one
  --json                   print the facts as one JSON line, then keep serving
  --data-dir DIR           where the CA, server certificate and signing key are kept
  --large N                seed the demo tenant plus N generated eligible groups, N/2 directory roles, N Azure roles
  --large-roles N          with --large: how many generated directory-role eligibilities (default N/2)
  --large-azure N          with --large: how many generated Azure role eligibilities (default N)
  --provisioning-delay MS  how long activations stay PendingProvisioning (default 1000)
  --auto-sign-in USER      sign this user in without showing the sign-in page
  --exit-when-unused DIR   stop once no process whose pid names a file in DIR is running
Stops on SIGINT or SIGTERM.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fail(`--${name} must be a whole number from ${min} to ${max}; got '${raw}'.`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        json: { type: "boolean", default: false },
        "data-dir": { type: "string" },
        large: { type: "string" },
        "large-roles": { type: "string" },
        "large-azure": { type: "string" },
        "provisioning-delay": { type: "string" },
        "auto-sign-in": { type: "string" },
        "exit-when-unused": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = intOption("port", values.port, 0, 65535) ?? 0;
  const large = intOption("large", values.large, 1, 20_000);
  const delay = intOption("provisioning-delay", values["provisioning-delay"], 0, 3_600_000);
  const largeRoles = intOption("large-roles", values["large-roles"], 0, 20_000);
  const largeAzure = intOption("large-azure", values["large-azure"], 0, 20_000);
  if (!large && (largeRoles !== undefined || largeAzure !== undefined))
    fail("--large-roles and --large-azure need --large.");
  const seed: SeedSpec = large
    ? {
        kind: "large",
        groups: large,
        ...(largeRoles !== undefined ? { roles: largeRoles } : {}),
        ...(largeAzure !== undefined ? { azure: largeAzure } : {}),
      }
    : { kind: "demo" };
  const emu = await startEmulator({
    port,
    dataDir: values["data-dir"],
    seed,
    settings: {
      ...(delay !== undefined ? { provisioningDelayMs: delay } : {}),
      ...(values["auto-sign-in"] ? { autoSignIn: values["auto-sign-in"] } : {}),
    },
  });
  const facts = {
    authority: emu.authority,
    tenantId: emu.tenantId,
    domain: emu.domain,
    graphBaseUrl: emu.graphBaseUrl,
    caCertPath: emu.caCertPath,
    controlUrl: emu.controlUrl,
    users: emu.users,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(facts)}\n`);
  } else {
    process.stdout.write(
      [
        "PIM Tray emulator (local Entra ID + Microsoft Graph PIM for Groups)",
        `  Authority:    ${facts.authority}`,
        `  Tenant:       ${facts.tenantId} (${facts.domain})`,
        `  Graph:        ${facts.graphBaseUrl}`,
        `  CA cert:      ${facts.caCertPath}`,
        `  Control API:  ${facts.controlUrl}`,
        "  Demo users:",
        ...facts.users.map((u) => `    ${u.displayName.padEnd(14)} ${u.userPrincipalName.padEnd(24)} ${u.id}`),
        "",
        `Trust the CA per command only: NODE_EXTRA_CA_CERTS=${facts.caCertPath} <command>.`,
        "Never put it in a shell profile: its key sits unencrypted in the data folder. Press Ctrl+C to stop.",
        "",
      ].join("\n"),
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!values.json) process.stdout.write(`\nReceived ${signal}; stopping.\n`);
    void emu.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  const clients = values["exit-when-unused"];
  if (clients) {
    exitWhenUnused(clients, (why) => {
      process.stderr.write(`Stopping: ${why}.\n`);
      stop(why);
    });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`The emulator could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
