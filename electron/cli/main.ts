import { Command, CommanderError, Option } from "commander";
import { join } from "node:path";
import { describeCause, PimTrayError } from "../engine/errors.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { createOut } from "./output.js";

// `pimtray`: the engine for scripts and runbooks. Exit codes and JSON fields are documented in
// docs/cli.md and are a contract.
//
// Start-up time (docs/cli.md): this module holds only the command line's shape. The engine (MSAL, undici,
// zod), the context and each command's module are imported when a command runs, so `--version` and
// `--help` load commander and nothing else, and a command loads what it needs. test/cli/startup.test.ts
// checks what each path loads.

/** Each command's module, imported when that command runs. */
const commands = {
  activate: () => import("./commands/activate.js"),
  approvals: () => import("./commands/approvals.js"),
  auth: () => import("./commands/auth.js"),
  demo: () => import("./commands/demo.js"),
  doctor: () => import("./commands/doctor.js"),
  history: () => import("./commands/history.js"),
  pim: () => import("./commands/pim.js"),
  policy: () => import("./commands/policy.js"),
  profiles: () => import("./commands/profiles.js"),
  watch: () => import("./watch.js"),
};

function addGlobals(cmd: Command): Command {
  return cmd
    .option("--json", "machine-readable output (fields in docs/cli.md)")
    .option("--tenant <id-or-domain>", "tenant id or domain [PIMTRAY_TENANT]")
    .option("--client-id <guid>", "application (client) id [PIMTRAY_CLIENT_ID]")
    .addOption(
      new Option("--cloud <cloud>", "national cloud [PIMTRAY_CLOUD]").choices(["global", "usgov", "usgovdod", "china"]),
    )
    .option("--authority-host <url>", "sign-in host override [PIMTRAY_AUTHORITY_HOST]")
    .option("--graph-endpoint <url>", "Microsoft Graph endpoint override [PIMTRAY_GRAPH_ENDPOINT]")
    .option("--arm-endpoint <url>", "Azure Resource Manager endpoint override [PIMTRAY_ARM_ENDPOINT]")
    .option("--config-dir <dir>", "settings, history and token cache folder [PIMTRAY_CONFIG_DIR]")
    .option("--demo", "use a local demo tenant (no Azure account needed)")
    .option("--no-interactive", "never prompt to sign in; fail with exit 3 instead [PIMTRAY_NO_INTERACTIVE=1]")
    .option("-v, --verbose", "log details to stderr")
    .option("--use-system-ca", "also trust the operating system's certificate store [PIMTRAY_USE_SYSTEM_CA=1]");
}

type Action = (ctx: CliContext, cmd: Command) => Promise<number>;

async function run(cmd: Command, action: Action, allowInteraction = true): Promise<number> {
  const opts = cmd.optsWithGlobals<GlobalOptions & { interactive?: boolean; useSystemCa?: boolean }>();
  const out = createOut(Boolean(opts.json));
  // Scripts say --no-interactive (or PIMTRAY_NO_INTERACTIVE=1) so a lapsed sign-in fails fast.
  if (opts.interactive === false || process.env.PIMTRAY_NO_INTERACTIVE === "1") allowInteraction = false;
  let ctx: CliContext | null = null;
  try {
    // --use-system-ca: the OS store is read before the first request, and a store that cannot be read says so.
    if (opts.useSystemCa || process.env.PIMTRAY_USE_SYSTEM_CA === "1")
      await (await import("./system-ca.js")).useSystemCa();
    const { createContext } = await import("./context.js");
    ctx = await createContext(opts, out, allowInteraction);
    return await action(ctx, cmd);
  } catch (e) {
    out.clearProgress();
    if (e instanceof PimTrayError) {
      ctx?.logger.warn(`${cmd.name()} failed: ${e.message}`, e.cause);
      if (out.json) out.write(JSON.stringify({ error: errorJson(e) }));
      else out.error(`pimtray: ${e.message}`);
      return exitCodeFor(e.kind);
    }
    ctx?.logger.error(`${cmd.name()} crashed`, e);
    const where = ctx ? ` Details are in ${join(ctx.configDir, "pimtray.log")}.` : "";
    if (out.json)
      out.write(JSON.stringify({ error: { kind: "internal", message: e instanceof Error ? e.message : String(e) } }));
    else out.error(`pimtray: unexpected error: ${describeCause(e)}.${where}`);
    return EXIT.internal;
  }
}

/**
 * The error's kind and message with its details. A detail called `kind` (the plane an approval is on)
 * would hide the error's own kind, which scripts branch on: it is written as `plane` instead.
 */
function errorJson(e: PimTrayError): Record<string, unknown> {
  const { kind: plane, ...details } = e.details;
  return { kind: e.kind, message: e.message, ...details, ...(plane !== undefined ? { plane } : {}) };
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command("pimtray")
    .description("Activate Microsoft Entra ID PIM eligibilities just in time: groups, Entra ID roles and Azure roles.")
    .version("0.1.0")
    .showHelpAfterError("(run pimtray --help for usage)")
    .exitOverride();
  addGlobals(program);

  const action = (fn: Action, allowInteraction = true) =>
    async function (this: Command) {
      setExit(await run(this, fn, allowInteraction));
    };

  addGlobals(program.command("login").description("sign in (system browser, or --device-code)"))
    .option("--device-code", "sign in on another device with a code")
    .option("--select-account", "choose a different account")
    .option("--account <user>", "switch to an account already signed in here (no prompt)")
    .option("--plane <plane>", "consent for one plane only: role or azure (groups otherwise)")
    .action(action(async (ctx, c) => (await commands.auth()).cmdLogin(ctx, c.opts())));
  addGlobals(program.command("logout").description("sign out and remove tokens from this computer"))
    .option("--all", "sign out every account")
    .action(action(async (ctx, c) => (await commands.auth()).cmdLogout(ctx, c.opts())));
  addGlobals(program.command("whoami").description("show the signed-in account and connection")).action(
    action(async (ctx) => (await commands.auth()).cmdWhoami(ctx), false),
  );
  addGlobals(program.command("eligible").description("list eligibilities with their policy, on every plane"))
    .option("--kind <kind>", "only group, role or azure")
    .action(action(async (ctx, c) => (await commands.pim()).cmdEligible(ctx, c.opts())));
  addGlobals(program.command("status").description("show active activations and pending requests, every plane")).action(
    action(async (ctx) => (await commands.pim()).cmdStatus(ctx)),
  );

  addGlobals(
    program
      .command("activate")
      .argument("<name>", "group or role display name or id, or profile name")
      .description("activate a group membership/ownership, an Entra ID role, an Azure role or a profile"),
  )
    .addOption(new Option("--as <role>", "member or owner, when you have both"))
    .option("--kind <kind>", "group, role or azure, when a name is eligible on more than one")
    .option("--scope <scope>", "role: directory scope id; Azure: ARM scope id (a child scope too) or SUB/RG")
    .option("--duration <duration>", "90m, 2h, 1h30m or PT2H (default: the policy maximum)")
    .option("--justification <text>", "why you need it")
    .option("--ticket <system:number>", "ticket, e.g. ServiceNow:INC0012345")
    .option("--start <iso-8601>", "start later instead of now")
    .option("--wait", "wait until approved and active, or final")
    .option("--no-wait", "return as soon as the request is submitted")
    .option("--timeout <duration>", "how long --wait waits (default 15m)")
    .option("--validate-only", "check with PIM without activating")
    .option("--profile", "the name is a profile")
    .option("--group", "the name is a group")
    .action(
      action(async (ctx, c) => {
        const o = c.opts<Record<string, unknown>>();
        // commander folds --wait/--no-wait into one boolean; undefined means neither was given.
        const wait = o.wait === true;
        const noWait = o.wait === false;
        return (await commands.activate()).cmdActivate(ctx, String(c.args[0]), { ...(o as object), wait, noWait });
      }),
    );
  addGlobals(
    program
      .command("deactivate")
      .argument("<name>")
      .description("end an activation early (after PIM's 5-minute minimum)"),
  )
    .option("--as <role>", "member or owner")
    .option("--kind <kind>", "group, role or azure")
    .option("--scope <scope>", "role: directory scope id; Azure: ARM scope id or SUB/RG")
    .option("--wait", "wait for the 5-minute minimum if needed")
    .option("--profile", "the name is a profile")
    .option("--group", "the name is a group")
    .action(action(async (ctx, c) => (await commands.activate()).cmdDeactivate(ctx, String(c.args[0]), c.opts())));
  addGlobals(
    program
      .command("cancel")
      .argument("<request-id-or-name>", "the request id `status` shows, or a name with --kind/--scope")
      .description("cancel a pending request"),
  )
    .option("--as <role>", "member or owner")
    .option("--kind <kind>", "group, role or azure")
    .option("--scope <scope>", "role: directory scope id; Azure: ARM scope id or SUB/RG")
    .action(action(async (ctx, c) => (await commands.activate()).cmdCancel(ctx, String(c.args[0]), c.opts())));
  addGlobals(
    program
      .command("approvals")
      .argument(
        "[on|off]",
        'turn "I approve requests" on or off for the tray app and `pimtray watch`; leave out to list',
      )
      .description("list the requests that wait for your approval, on every plane, with their request ids"),
  )
    .option("--kind <kind>", "only group, role or azure")
    .action(
      action(async (ctx, c) =>
        (await commands.approvals()).cmdApprovals(ctx, c.args[0] as string | undefined, c.opts()),
      ),
    );
  for (const [name, decision] of [
    ["approve", "Approve"],
    ["deny", "Deny"],
  ] as const) {
    addGlobals(
      program
        .command(name)
        .argument("<request-id>", "the request id `pimtray approvals` shows (an Azure request's name, a GUID)")
        .description(`${name} a request that waits for your approval (exit 10 if it was already decided)`),
    )
      .option("--justification <text>", "why (required: PIM records it with your decision)")
      .option("--kind <kind>", "group, role or azure: look for the request on that plane only")
      .action(
        action(async (ctx, c) => (await commands.approvals()).cmdDecide(ctx, decision, String(c.args[0]), c.opts())),
      );
  }
  addGlobals(
    program.command("watch").description("stay running: notifications before expiry, auto-activation, keep-active"),
  )
    .option("--no-notify", "print events only; no desktop notifications")
    .option("--no-auto-activate", "do not activate profiles flagged for login")
    .action(action(async (ctx, c) => (await commands.watch()).cmdWatch(ctx, c.opts()), false));
  addGlobals(program.command("history").description("show the local audit log of activations"))
    .option("--limit <n>", "how many entries (default 20)")
    .action(action(async (ctx, c) => (await commands.history()).cmdHistory(ctx, c.opts())));

  addGlobals(
    program
      .command("profile")
      .argument("<action>", "list, show, add, edit or remove")
      .argument("[name]", "profile name")
      .description("manage saved profiles"),
  )
    .option(
      "--group <group>",
      "group name or id (NAME:owner for ownership); repeat for more",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      "--role <role>",
      "Entra ID role, NAME or NAME@SCOPE (a directory scope id or AU name); repeat for more",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      "--azure <role>",
      "Azure role, ROLE@SCOPE (an ARM scope id or SUB/RG); repeat for more",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option("--as <role>", "member or owner, for every --group")
    .option("--duration <duration>", "default duration")
    .option("--justification <text>", "default justification")
    .option("--ticket <system:number>", "default ticket")
    .option("--auto-activate", "activate when the tray app or `pimtray watch` starts")
    .option("--no-auto-activate", "do not activate at start")
    .option("--keep-active-until <HH:MM>", "renew until this time of day")
    .option("--keep-active-renewals <n>", "renew at most n times")
    .option("--notify <minutes>", "expiry warnings, minutes before, e.g. 10,2")
    .option("--name <new-name>", "rename (edit)")
    .action(
      action(async (ctx, c) =>
        (await commands.profiles()).cmdProfile(ctx, String(c.args[0]), c.args[1] as string | undefined, c.opts()),
      ),
    );

  // Not through run(): it needs neither the engine nor a sign-in, and it must still answer when the policy
  // it reports is what stops every other command.
  addGlobals(
    program
      .command("policy")
      .description("show your organisation's managed policy: each value, where it comes from, locked fields, problems"),
  ).action(async function (this: Command) {
    setExit(await (await commands.policy()).cmdPolicy(this.optsWithGlobals<GlobalOptions>()));
  });

  // Not through run(): the doctor reports a configuration that cannot be loaded as its first failed check.
  addGlobals(
    program
      .command("doctor")
      .description("check the connection, TLS, proxy, clock, token cache, consent, policy and notifications"),
  )
    .option("--export <file.zip>", "also write a zip of the logs, this report and the settings, secrets scrubbed")
    .action(async function (this: Command) {
      setExit(await (await commands.doctor()).cmdDoctor(this.optsWithGlobals(), program.version() ?? ""));
    });

  const demo = program.command("demo").description("control the local demo tenant used by --demo");
  addGlobals(demo.command("stop").description("stop the background demo emulator")).action(async function (
    this: Command,
  ) {
    setExit(await (await commands.demo()).cmdDemoStop(this.optsWithGlobals<GlobalOptions>()));
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version are not errors; everything else commander rejects is a usage error.
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0
        ? EXIT.ok
        : EXIT.usage;
    }
    throw e;
  }
  return code;
}
