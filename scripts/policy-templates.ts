// Writes the managed-policy templates from the one policy schema (electron/engine/policy/policy-schema.ts), so a
// key is defined once: the Windows ADMX and its en-US ADML, the macOS example configuration profile, the Linux JSON
// schema and example, and the key table in docs/deployment.md. test/scripts/policy-templates.test.ts fails when
// a committed file differs from what this produces.
//
//   node --import tsx scripts/policy-templates.ts          writes them
//   node --import tsx scripts/policy-templates.ts --check  exits 1 if any differs
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "plist";
import * as z from "zod/mini";
import { LINUX_POLICY_FILE } from "../electron/engine/policy/linux-policy-file.js";
import { MACOS_DOMAIN } from "../electron/engine/policy/macos-managed-preferences.js";
import {
  POLICY_KEY_NAMES,
  POLICY_KEYS,
  policySchema,
  type PolicyKey,
} from "../electron/engine/policy/policy-schema.js";
import { POLICY_SUBKEY } from "../electron/engine/policy/windows-registry.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The first version with managed policy; Group Policy shows it as "Supported on". */
const SINCE = "0.1";
const NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";
const XSD = 'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
/** Longest text Group Policy accepts in a text element here: a JSON list of profiles fits. */
const JSON_MAX = 16384;

const xml = (t: string) =>
  t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

/** Where Windows keeps a key, for the explain text and docs. */
function registryForm(key: PolicyKey): string {
  const def = POLICY_KEYS[key];
  switch (def.kind) {
    case "boolean":
      return `value ${key}, REG_DWORD: 1 on (Enabled), 0 off (Disabled)`;
    case "decimal":
      return `value ${key}, REG_DWORD`;
    case "text":
      return `value ${key}, REG_SZ`;
    case "enum":
      return `value ${key}, REG_SZ: ${(def.options ?? []).map((o) => o.value).join(", ")}`;
    case "list":
      return `subkey ${key}, one REG_SZ value per item named 1, 2, 3… (or value ${key}, a REG_SZ holding a JSON array)`;
    case "json":
      return `value ${key}, a REG_SZ holding JSON on one line`;
  }
}

const example = (key: PolicyKey) => JSON.stringify(POLICY_KEYS[key].example);

function explain(key: PolicyKey): string {
  return [
    POLICY_KEYS[key].description,
    "",
    `Registry: ${POLICY_SUBKEY}, ${registryForm(key)}.`,
    `Example: ${example(key)}`,
    "",
    "Set by policy, the value is locked: users see it as set by your organisation and cannot change it. A value that is not valid is ignored and reported (pimtray policy); the other policies still apply.",
  ].join("\n");
}

function admxElements(key: PolicyKey): string {
  const def = POLICY_KEYS[key];
  switch (def.kind) {
    case "boolean":
      return `      <enabledValue><decimal value="1" /></enabledValue>\n      <disabledValue><decimal value="0" /></disabledValue>`;
    case "decimal":
      return `      <elements>\n        <decimal id="${key}" valueName="${key}" required="true" />\n      </elements>`;
    case "text":
      return `      <elements>\n        <text id="${key}" valueName="${key}" required="true" maxLength="1024" />\n      </elements>`;
    case "json":
      return `      <elements>\n        <text id="${key}" valueName="${key}" required="true" maxLength="${JSON_MAX}" />\n      </elements>`;
    case "enum": {
      const items = (def.options ?? [])
        .map(
          (o) =>
            `          <item displayName="$(string.${key}_${o.value})">\n            <value><string>${xml(o.value)}</string></value>\n          </item>`,
        )
        .join("\n");
      return `      <elements>\n        <enum id="${key}" valueName="${key}" required="true">\n${items}\n        </enum>\n      </elements>`;
    }
    case "list":
      return `      <elements>\n        <list id="${key}" key="${POLICY_SUBKEY}\\${key}" valuePrefix="" />\n      </elements>`;
  }
}

export function admx(): string {
  const policies = POLICY_KEY_NAMES.map((key) => {
    const def = POLICY_KEYS[key];
    const presentation = def.kind === "boolean" ? "" : ` presentation="$(presentation.${key})"`;
    const value = def.kind === "boolean" ? ` valueName="${key}"` : "";
    return [
      `    <policy name="${key}" class="Both" displayName="$(string.${key})" explainText="$(string.${key}_Explain)"${presentation} key="${POLICY_SUBKEY}"${value}>`,
      `      <parentCategory ref="PIMTray" />`,
      `      <supportedOn ref="SUPPORTED_PIMTray_${SINCE.replace(".", "_")}" />`,
      admxElements(key),
      `    </policy>`,
    ].join("\n");
  }).join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by scripts/policy-templates.ts from electron/engine/policy/policy-schema.ts; do not edit. -->
<policyDefinitions ${XSD} revision="1.0" schemaVersion="1.0" xmlns="${NS}">
  <policyNamespaces>
    <target prefix="pimtray" namespace="PIMTray.Policies.PIMTray" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
      <definition name="SUPPORTED_PIMTray_${SINCE.replace(".", "_")}" displayName="$(string.SUPPORTED_PIMTray_${SINCE.replace(".", "_")})" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="PIMTray" displayName="$(string.PIMTray)" />
  </categories>
  <policies>
${policies}
  </policies>
</policyDefinitions>
`;
}

function presentation(key: PolicyKey): string | null {
  const def = POLICY_KEYS[key];
  const label = xml(`${def.title}:`);
  switch (def.kind) {
    case "boolean":
      return null;
    case "decimal":
      return `<decimalTextBox refId="${key}">${label}</decimalTextBox>`;
    case "text":
    case "json":
      return `<textBox refId="${key}"><label>${label}</label></textBox>`;
    case "enum":
      return `<dropdownList refId="${key}" noSort="true">${label}</dropdownList>`;
    case "list":
      return `<listBox refId="${key}">${label}</listBox>`;
  }
}

export function adml(): string {
  const strings: [string, string][] = [
    ["PIMTray", "PIM Tray"],
    [`SUPPORTED_PIMTray_${SINCE.replace(".", "_")}`, `PIM Tray ${SINCE} and later`],
  ];
  for (const key of POLICY_KEY_NAMES) {
    const def = POLICY_KEYS[key];
    strings.push([key, def.title], [`${key}_Explain`, explain(key)]);
    for (const o of def.options ?? []) strings.push([`${key}_${o.value}`, o.label]);
  }
  const table = strings.map(([id, text]) => `      <string id="${id}">${xml(text)}</string>`).join("\n");
  const presentations = POLICY_KEY_NAMES.flatMap((key) => {
    const p = presentation(key);
    return p ? [`      <presentation id="${key}">\n        ${p}\n      </presentation>`] : [];
  }).join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by scripts/policy-templates.ts from electron/engine/policy/policy-schema.ts; do not edit. -->
<policyDefinitionResources ${XSD} revision="1.0" schemaVersion="1.0" xmlns="${NS}">
  <displayName>PIM Tray</displayName>
  <description>Managed policy for PIM Tray (Microsoft Entra ID PIM from the tray and the command line).</description>
  <resources>
    <stringTable>
${table}
    </stringTable>
    <presentationTable>
${presentations}
    </presentationTable>
  </resources>
</policyDefinitionResources>
`;
}

/** Every key with its example value: what the example files hold. */
export function exampleValues(): Record<string, unknown> {
  return Object.fromEntries(POLICY_KEY_NAMES.map((k) => [k, POLICY_KEYS[k].example]));
}

/** A UUID that is the same on every run, so a re-generated profile replaces the installed one (a v5-style hash). */
function stableUuid(name: string): string {
  const h = createHash("sha1").update(`dev.pimtray.app/${name}`).digest("hex");
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export function mobileconfig(): string {
  const profile = {
    PayloadContent: [
      {
        PayloadType: "com.apple.ManagedClient.preferences",
        PayloadIdentifier: `${MACOS_DOMAIN}.policy.preferences`,
        PayloadUUID: stableUuid("preferences"),
        PayloadVersion: 1,
        PayloadEnabled: true,
        PayloadDisplayName: "PIM Tray policy",
        // Forced: macOS writes these to /Library/Managed Preferences, the only place PIM Tray takes policy from.
        PayloadContent: { [MACOS_DOMAIN]: { Forced: [{ mcx_preference_settings: exampleValues() }] } },
      },
    ],
    PayloadDescription:
      "Example: PIM Tray's managed policy. Edit the values (or remove keys you do not set) before you deploy it; docs/deployment.md describes every key.",
    PayloadDisplayName: "PIM Tray",
    PayloadIdentifier: `${MACOS_DOMAIN}.policy`,
    PayloadOrganization: "Contoso (example)",
    PayloadScope: "System",
    PayloadType: "Configuration",
    PayloadUUID: stableUuid("profile"),
    PayloadVersion: 1,
  };
  return `${build(profile as Parameters<typeof build>[0], { pretty: true, indent: "\t" })}\n`;
}

/** JSON Schema (draft 7, which most editors and validators read) made by zod from the schema, with each key's text. */
export function linuxSchema(): string {
  const schema = z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any", target: "draft-7" }) as {
    properties: Record<string, Record<string, unknown>>;
  } & Record<string, unknown>;
  for (const key of POLICY_KEY_NAMES) {
    const def = POLICY_KEYS[key];
    schema.properties[key] = { title: def.title, description: def.description, ...schema.properties[key] };
  }
  const doc = {
    $schema: schema.$schema,
    title: "PIM Tray managed policy",
    description: `${LINUX_POLICY_FILE}: owned by root, mode 0644 (writable by root only). Every key is optional; a key with a value that is not valid is ignored and reported by \`pimtray policy\`.`,
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
  // zod keeps a pattern's letters but not its i flag: GUIDs are accepted in either case, so say so here too.
  const text = JSON.stringify(doc, null, 2)
    .replaceAll("[0-9a-f]", "[0-9a-fA-F]")
    .replaceAll("[0-9a-f-]", "[0-9a-fA-F-]");
  return `${text}\n`;
}

export function linuxExample(): string {
  return `${JSON.stringify(exampleValues(), null, 2)}\n`;
}

/** The key table in docs/deployment.md, between its markers. */
export function docsTable(): string {
  const rows = POLICY_KEY_NAMES.map((key) => {
    const def = POLICY_KEYS[key];
    const cell = (t: string) => t.replace(/\|/g, "\\|").replace(/\n/g, " ");
    return `| \`${key}\` | ${def.kind} | ${cell(def.description)} | \`${cell(example(key))}\` |`;
  });
  return ["| key | type | what it does | example |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

export const DOCS_FILE = "docs/deployment.md";
export const DOCS_START = "<!-- policy-keys:start (generated by scripts/policy-templates.ts) -->";
export const DOCS_END = "<!-- policy-keys:end -->";

/** docs/deployment.md with its key table regenerated. */
export function withDocsTable(doc: string): string {
  const start = doc.indexOf(DOCS_START);
  const end = doc.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`${DOCS_FILE} has no ${DOCS_START} … ${DOCS_END} markers`);
  return `${doc.slice(0, start + DOCS_START.length)}\n${docsTable()}\n${doc.slice(end)}`;
}

/** Every generated file: its path in the repository and its content. */
export function templates(): Record<string, string> {
  return {
    "assets/policy/windows/pimtray.admx": admx(),
    "assets/policy/windows/en-US/pimtray.adml": adml(),
    "assets/policy/macos/dev.pimtray.app.mobileconfig": mobileconfig(),
    "assets/policy/linux/policy.schema.json": linuxSchema(),
    "assets/policy/linux/policy.example.json": linuxExample(),
    [DOCS_FILE]: withDocsTable(readFileSync(join(ROOT, DOCS_FILE), "utf8")),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [path, content] of Object.entries(templates())) {
    const full = join(ROOT, path);
    let current: string | null = null;
    try {
      current = readFileSync(full, "utf8");
    } catch {
      current = null;
    }
    if (current === content) continue;
    stale++;
    if (check) console.error(`${path} differs from what scripts/policy-templates.ts generates`);
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      console.log(`wrote ${path}`);
    }
  }
  if (check && stale) process.exit(1);
}
