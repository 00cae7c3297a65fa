// The managed-policy templates are generated from the one policy schema: the committed files are exactly what
// scripts/policy-templates.ts produces, the ADMX and ADML are well-formed and name every key (and each other's
// strings and presentations), and the examples are valid policy by both the zod schema and the JSON Schema.
import { DOMParser } from "@xmldom/xmldom";
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { parse } from "plist";
import { describe, expect, it } from "vitest";
import { readManagedPolicy } from "../../electron/engine/policy/policy-resolver.js";
import { POLICY_KEY_NAMES, POLICY_KEYS, policySchema } from "../../electron/engine/policy/policy-schema.js";
import { docsTable, templates } from "../../scripts/policy-templates.js";

const read = (path: string) => readFileSync(path, "utf8");

/** Parses XML strictly: any warning or error fails. */
function xmlDocument(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(
    text,
    "text/xml",
  );
  expect(errors).toEqual([]);
  return doc;
}

const attrs = (doc: ReturnType<typeof xmlDocument>, tag: string, name: string) =>
  Array.from(doc.getElementsByTagName(tag)).map((e) => e.getAttribute(name) ?? "");

describe("policy templates", () => {
  it("the committed files are what the generator makes from the schema", () => {
    for (const [path, content] of Object.entries(templates()))
      expect(read(path), `${path} is stale: run node --import tsx scripts/policy-templates.ts`).toBe(content);
  });

  it("the ADMX and ADML are well-formed, define every key once under PIM Tray, and refer only to what the other defines", () => {
    const admx = xmlDocument(read("assets/policy/windows/pimtray.admx"));
    const adml = xmlDocument(read("assets/policy/windows/en-US/pimtray.adml"));
    expect(attrs(admx, "policy", "name")).toEqual(POLICY_KEY_NAMES);
    expect(new Set(attrs(admx, "policy", "key"))).toEqual(new Set(["SOFTWARE\\Policies\\PIMTray"]));
    expect(new Set(attrs(admx, "policy", "class"))).toEqual(new Set(["Both"]));
    expect(attrs(admx, "category", "name")).toEqual(["PIMTray"]);
    expect(new Set(attrs(admx, "parentCategory", "ref"))).toEqual(new Set(["PIMTray"]));

    const strings = new Set(attrs(adml, "string", "id"));
    const presentations = new Set(attrs(adml, "presentation", "id"));
    const text = read("assets/policy/windows/pimtray.admx");
    for (const [, id] of text.matchAll(/\$\(string\.([^)]+)\)/g)) expect(strings.has(id ?? ""), id).toBe(true);
    for (const [, id] of text.matchAll(/\$\(presentation\.([^)]+)\)/g))
      expect(presentations.has(id ?? ""), id).toBe(true);

    // Each key's element is the one for its type, and each presentation control points at it.
    const elementIds = new Map<string, string>();
    for (const tag of ["text", "enum", "list", "decimal", "boolean"])
      for (const id of attrs(admx, tag, "id")) elementIds.set(id, tag);
    for (const key of POLICY_KEY_NAMES) {
      const kind = POLICY_KEYS[key].kind;
      const expected = {
        boolean: undefined,
        decimal: "decimal",
        text: "text",
        json: "text",
        enum: "enum",
        list: "list",
      }[kind];
      expect(elementIds.get(key), key).toBe(expected);
    }
    for (const tag of ["textBox", "dropdownList", "listBox", "decimalTextBox"])
      for (const ref of attrs(adml, tag, "refId")) expect(elementIds.has(ref), ref).toBe(true);
    // A list writes numbered values under a subkey named for the key: what the registry source reads.
    for (const list of Array.from(admx.getElementsByTagName("list")))
      expect(list.getAttribute("key")).toBe(`SOFTWARE\\Policies\\PIMTray\\${list.getAttribute("id") ?? ""}`);
  });

  it("the .mobileconfig forces a valid policy with every key, with fixed, distinct UUIDs", async () => {
    const profile = parse(read("assets/policy/macos/dev.pimtray.app.mobileconfig")) as Record<string, any>;
    expect(profile.PayloadType).toBe("Configuration");
    const payload = profile.PayloadContent[0];
    expect(payload.PayloadType).toBe("com.apple.ManagedClient.preferences");
    const values = payload.PayloadContent["dev.pimtray.app"].Forced[0].mcx_preference_settings;
    expect(Object.keys(values)).toEqual(POLICY_KEY_NAMES);
    expect(policySchema.safeParse(values).success).toBe(true);
    const uuids = [profile.PayloadUUID, payload.PayloadUUID];
    for (const u of uuids) expect(u).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(new Set(uuids).size).toBe(2);
    // Read back as policy, the example's values apply with no problem.
    const policy = await readManagedPolicy([
      { name: "example", read: () => Promise.resolve({ values, problems: [] }) },
    ]);
    expect(policy.problems).toEqual([]);
    expect(Object.keys(policy.values)).toEqual(POLICY_KEY_NAMES);
  });

  it("the Linux example is valid by the JSON Schema and the zod schema; the JSON Schema refuses what the resolver reports", () => {
    const schema = JSON.parse(read("assets/policy/linux/policy.schema.json")) as Record<string, any>;
    const example = JSON.parse(read("assets/policy/linux/policy.example.json")) as Record<string, unknown>;
    expect(Object.keys(schema.properties)).toEqual(POLICY_KEY_NAMES);
    for (const key of POLICY_KEY_NAMES) expect(schema.properties[key].description).toBe(POLICY_KEYS[key].description);
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(policySchema.safeParse(example).success).toBe(true);
    expect(validate({ ...example, Colour: "blue" })).toBe(false);
    expect(validate({ ...example, TokenCache: "plain-text" })).toBe(false);
    expect(validate({ ...example, ClientId: "11111111-2222-3333-4444-55555555555Z" })).toBe(false);
    // GUIDs in either case, as PIM Tray accepts them.
    expect(validate({ ...example, ClientId: "AAAAAAAA-2222-3333-4444-555555555555" })).toBe(true);
  });

  it("docs/deployment.md lists every key with its type and description", () => {
    const doc = read("docs/deployment.md");
    expect(doc).toContain(docsTable());
    for (const key of POLICY_KEY_NAMES)
      expect(doc).toMatch(new RegExp(`^\\| \`${key}\` \\| ${POLICY_KEYS[key].kind} \\|`, "m"));
    for (const heading of ["## Managed policy", "## Updates", "## Signing", "## Diagnostics"])
      expect(doc).toContain(heading);
  });
});
