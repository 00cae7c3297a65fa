// Checks JSON against the types Microsoft publishes (test/fixtures/pim-schemas.json, written by
// scripts/extract-pim-schemas.mjs), so the emulator and the bodies PIM Tray sends cannot drift from the real services.
//
// What fails, always with the JSON path in the message:
//   - a property the type does not declare (Graph: structural or navigation; ARM: `properties`), unless the Graph type
//     is an OpenType;
//   - a missing required property. ARM: the definition's `required` list. Graph has no "required" in CSDL; responses
//     may leave properties out ($select, or a service that simply omits them), so only the entity key (`id`) and
//     properties declared Nullable="false" without a DefaultValue count as required, and only when the caller asks for
//     it (`required: true`, meant for full responses; request bodies never carry server-set properties such as `id`
//     or `status`);
//   - a wrong primitive type (string, boolean, integer, number, DateTimeOffset/date-time and Duration formats, GUID);
//   - an enum value that is not a member, compared case-sensitively as Microsoft's own JSON writes them;
//   - null where Graph declares Nullable="false" (ARM's OpenAPI 2.0 has no nullability, and ARM sends null for unset
//     values, so null passes for ARM properties that are not required);
//   - for request bodies on ARM (`body: true`), a readOnly property the client has no business sending.
// What passes: OData control information (`@odata.context`, `@odata.type`, `@odata.nextLink`, `x@odata.context`...),
// and navigation properties, which appear only when $expand-ed: they are checked against their target type when the
// fixture holds it and accepted as they are otherwise. `@odata.type` selects the derived type (policy rules, approver
// subject sets), which must derive from the declared one; ARM's `discriminator` (ruleType) does the same.
import { readFileSync } from "node:fs";

interface GraphProperty {
  type: string;
  nullable: boolean;
  default?: string;
}
interface GraphType {
  kind: "entity" | "complex";
  baseType?: string;
  abstract?: boolean;
  openType?: boolean;
  key?: string[];
  properties: Record<string, GraphProperty>;
  navigation: Record<string, { type: string }>;
}
interface GraphEnum {
  members: string[];
  isFlags?: boolean;
}
export interface ArmSchema {
  type?: string;
  format?: string;
  enum?: string[];
  enumName?: string;
  readOnly?: boolean;
  required?: string[];
  discriminator?: string;
  ref?: { file: string; name: string };
  items?: ArmSchema;
  allOf?: ArmSchema[];
  properties?: Record<string, ArmSchema>;
  additionalProperties?: boolean | ArmSchema;
}
interface Fixture {
  sources: {
    graph: { repo: string; path: string; commit: string };
    arm: { repo: string; folder: string };
  };
  graph: { types: Record<string, GraphType>; enums: Record<string, GraphEnum> };
  arm: Record<string, { path: string; commit: string; definitions: Record<string, ArmSchema> }>;
}

export const SCHEMAS: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/pim-schemas.json", import.meta.url), "utf8"),
) as Fixture;

export interface CheckOptions {
  /** Graph: demand the key and Nullable="false" properties (full responses only). */
  required?: boolean;
  /** ARM: the value is a request body, so readOnly properties must not be there. */
  body?: boolean;
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: Json) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isOData = (key: string) => key.startsWith("@odata.") || key.includes("@odata.");

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------- Graph ----------

function graphType(name: string): GraphType {
  const t = SCHEMAS.graph.types[name];
  if (!t) throw new Error(`schema-check: no Graph type ${name} in the fixture`);
  return t;
}

function derivesFrom(name: string, base: string): boolean {
  for (let t: string | undefined = name; t; t = SCHEMAS.graph.types[t]?.baseType) if (t === base) return true;
  return false;
}

/** Structural and navigation properties along the base-type chain. */
function members(name: string) {
  const properties: Record<string, GraphProperty> = {};
  const navigation: Record<string, { type: string }> = {};
  const key: string[] = [];
  let openType = false;
  for (let t: string | undefined = name; t; t = SCHEMAS.graph.types[t]?.baseType) {
    const def = graphType(t);
    Object.assign(properties, def.properties);
    Object.assign(navigation, def.navigation);
    key.push(...(def.key ?? []));
    openType ||= def.openType === true;
  }
  return { properties, navigation, key, openType };
}

function checkGraphPrimitive(type: string, v: Json, path: string, out: string[]) {
  const enumDef = SCHEMAS.graph.enums[type];
  if (enumDef) {
    if (typeof v !== "string") return void out.push(`${path}: expected ${type} (string), got ${describe(v)}`);
    const values = enumDef.isFlags ? v.split(",").map((s) => s.trim()) : [v];
    for (const one of values) {
      if (!enumDef.members.includes(one)) {
        out.push(`${path}: "${one}" is not a member of ${type} (${enumDef.members.join(", ")})`);
      }
    }
    return;
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) out.push(`${path}: expected ${what}, got ${describe(v)}${typeof v === "string" ? ` "${v}"` : ""}`);
  };
  switch (type) {
    case "Edm.String":
    case "Edm.Binary":
      return expect(typeof v === "string", "string");
    case "Edm.Boolean":
      return expect(typeof v === "boolean", "boolean");
    case "Edm.Int16":
    case "Edm.Int32":
    case "Edm.Int64":
    case "Edm.Byte":
      return expect(Number.isInteger(v), `integer (${type})`);
    case "Edm.Double":
    case "Edm.Single":
    case "Edm.Decimal":
      return expect(typeof v === "number", `number (${type})`);
    case "Edm.DateTimeOffset":
      return expect(typeof v === "string" && DATE_TIME.test(v), "an ISO 8601 date-time (Edm.DateTimeOffset)");
    case "Edm.Duration":
      return expect(typeof v === "string" && DURATION.test(v), "an ISO 8601 duration (Edm.Duration)");
    case "Edm.Guid":
      return expect(typeof v === "string" && GUID.test(v), "a GUID (Edm.Guid)");
    case "Edm.Date":
      return expect(typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v), "a date (Edm.Date)");
    default:
      // Edm.TimeOfDay, Edm.Stream and types of other namespaces are not used by PIM Tray: accepted as they are.
      return;
  }
}

function checkGraphValue(type: string, nullable: boolean, v: Json, path: string, opts: CheckOptions, out: string[]) {
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (v === null) {
    if (!nullable) out.push(`${path}: null, but the property is Nullable="false"`);
    return;
  }
  if (collection) {
    const item = collection[1] ?? "";
    if (!Array.isArray(v)) return void out.push(`${path}: expected ${type} (array), got ${describe(v)}`);
    v.forEach((x, i) => checkGraphValue(item, false, x, `${path}[${i}]`, opts, out));
    return;
  }
  if (SCHEMAS.graph.types[type]) return void checkGraphObject(type, v, path, opts, out);
  checkGraphPrimitive(type, v, path, out);
}

function checkGraphObject(declared: string, v: Json, path: string, opts: CheckOptions, out: string[]) {
  if (!isObject(v)) return void out.push(`${path}: expected ${declared} (object), got ${describe(v)}`);
  let type = declared;
  const odataType = v["@odata.type"];
  if (typeof odataType === "string") {
    const named = odataType.replace(/^#/, "").replace(/^microsoft\.graph\./, "");
    if (!SCHEMAS.graph.types[named]) {
      return void out.push(`${path}: @odata.type ${odataType} is not a type the schema declares`);
    }
    if (!derivesFrom(named, declared)) {
      return void out.push(`${path}: @odata.type ${odataType} does not derive from ${declared}`);
    }
    type = named;
  }
  const m = members(type);
  for (const [key, value] of Object.entries(v)) {
    if (isOData(key)) continue;
    const at = `${path}.${key}`;
    const prop = m.properties[key];
    if (prop) {
      checkGraphValue(prop.type, prop.nullable, value, at, opts, out);
      continue;
    }
    const nav = m.navigation[key];
    if (nav) {
      const target = /^Collection\((.*)\)$/.exec(nav.type)?.[1] ?? nav.type;
      // An $expand-ed navigation: checked when the fixture knows its target, accepted otherwise.
      if (SCHEMAS.graph.types[target]) checkGraphValue(nav.type, true, value, at, opts, out);
      continue;
    }
    if (!m.openType) out.push(`${at}: unknown property (not declared by ${type})`);
  }
  if (opts.required) {
    const required = new Set(m.key);
    for (const [name, p] of Object.entries(m.properties))
      if (!p.nullable && p.default === undefined) required.add(name);
    for (const name of required) if (!(name in v)) out.push(`${path}.${name}: missing required property of ${type}`);
  }
}

/** Problems of `value` as a Graph `typeName` (short name, e.g. "unifiedRoleManagementPolicy"); [] when it conforms. */
export function checkGraph(typeName: string, value: Json, opts: CheckOptions = {}, path = "$"): string[] {
  graphType(typeName);
  const out: string[] = [];
  checkGraphObject(typeName, value, path, opts, out);
  return out;
}

// ---------- ARM ----------

function armDefinition(file: string, name: string): ArmSchema {
  const def = SCHEMAS.arm[file]?.definitions[name];
  if (!def) throw new Error(`schema-check: no ARM definition ${file}#${name} in the fixture`);
  return def;
}

/** A schema with its $ref followed and its allOf parents merged in; `file` is where its own refs resolve. */
function resolveArm(schema: ArmSchema, file: string): { schema: ArmSchema; file: string } {
  if (schema.ref) {
    const target = resolveArm(armDefinition(schema.ref.file, schema.ref.name), schema.ref.file);
    // Sibling keywords of a $ref (readOnly, type) only annotate it.
    return { schema: { ...target.schema, readOnly: schema.readOnly ?? target.schema.readOnly }, file: target.file };
  }
  if (!schema.allOf) return { schema, file };
  const properties: Record<string, ArmSchema> = {};
  const required: string[] = [];
  let discriminator: string | undefined;
  for (const parent of schema.allOf) {
    const p = resolveArm(parent, file).schema;
    Object.assign(properties, p.properties);
    required.push(...(p.required ?? []));
    discriminator ??= p.discriminator;
  }
  Object.assign(properties, schema.properties);
  required.push(...(schema.required ?? []));
  return {
    schema: { ...schema, allOf: undefined, properties, required, type: "object", discriminator: undefined },
    file,
  };
}

function allOfIncludes(schema: ArmSchema, file: string, base: string): boolean {
  return (schema.allOf ?? []).some(
    (p) =>
      p.ref !== undefined && (p.ref.name === base || allOfIncludes(armDefinition(p.ref.file, p.ref.name), file, base)),
  );
}

function checkArmValue(raw: ArmSchema, file: string, v: Json, path: string, opts: CheckOptions, out: string[]) {
  const baseName = raw.ref?.name;
  const resolved = resolveArm(raw, file);
  const at = resolved.file;
  let schema = resolved.schema;
  if (v === null) return; // OpenAPI 2.0 cannot say "nullable"; required-ness is checked by the parent.
  if (schema.discriminator && isObject(v) && baseName) {
    const kind = v[schema.discriminator];
    const derived = typeof kind === "string" ? SCHEMAS.arm[at]?.definitions[kind] : undefined;
    if (derived && allOfIncludes(derived, at, baseName)) schema = resolveArm(derived, at).schema;
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) out.push(`${path}: expected ${what}, got ${describe(v)}${typeof v === "string" ? ` "${v}"` : ""}`);
  };
  const type = schema.type ?? (schema.properties ? "object" : undefined);
  switch (type) {
    case "string":
      expect(typeof v === "string", "string");
      if (typeof v !== "string") return;
      if (schema.format === "date-time") expect(DATE_TIME.test(v), "an ISO 8601 date-time");
      if (schema.enum && !schema.enum.includes(v)) {
        out.push(`${path}: "${v}" is not a member of ${schema.enumName ?? "the enum"} (${schema.enum.join(", ")})`);
      }
      return;
    case "boolean":
      return expect(typeof v === "boolean", "boolean");
    case "integer":
      return expect(Number.isInteger(v), "integer");
    case "number":
      return expect(typeof v === "number", "number");
    case "array":
      if (!Array.isArray(v)) return expect(false, "array");
      if (schema.items) {
        const items = schema.items;
        v.forEach((x, i) => checkArmValue(items, at, x, `${path}[${i}]`, opts, out));
      }
      return;
    case "object":
      return checkArmObject(schema, at, v, path, opts, out);
    default:
      return; // an untyped schema constrains nothing
  }
}

function checkArmObject(schema: ArmSchema, file: string, v: Json, path: string, opts: CheckOptions, out: string[]) {
  if (!isObject(v)) return void out.push(`${path}: expected object, got ${describe(v)}`);
  const properties = schema.properties ?? {};
  for (const [key, value] of Object.entries(v)) {
    const at = `${path}.${key}`;
    const prop = properties[key];
    if (!prop) {
      if (schema.additionalProperties === undefined || schema.additionalProperties === false) {
        out.push(`${at}: unknown property`);
      } else if (typeof schema.additionalProperties === "object") {
        checkArmValue(schema.additionalProperties, file, value, at, opts, out);
      }
      continue;
    }
    if (opts.body && (prop.readOnly || resolveArm(prop, file).schema.readOnly) && value !== undefined) {
      out.push(`${at}: readOnly property sent in a request body`);
    }
    checkArmValue(prop, file, value, at, opts, out);
  }
  for (const name of schema.required ?? []) {
    if (v[name] === undefined || v[name] === null) out.push(`${path}.${name}: missing required property`);
  }
}

/** Problems of `value` as ARM definition `name` of spec `file` (e.g. "RoleAssignmentScheduleRequest.json"). */
export function checkArm(file: string, name: string, value: Json, opts: CheckOptions = {}, path = "$"): string[] {
  const out: string[] = [];
  checkArmValue({ ref: { file, name } }, file, value, path, opts, out);
  return out;
}
