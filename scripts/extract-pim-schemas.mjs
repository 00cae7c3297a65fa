#!/usr/bin/env node
// Extracts the small part of Microsoft's machine-readable API descriptions that PIM Tray talks to, and writes it to
// test/fixtures/pim-schemas.json, which test/helpers/schema-check.ts validates emulator responses and request bodies
// against. Plain Node (no dependencies): the CSDL is regular enough for a tag scanner, the ARM specs are JSON.
//
// Sources:
//   Graph v1.0:  microsoftgraph/msgraph-metadata, clean_v10_metadata/cleanMetadata.xml
//   ARM:         Azure/azure-rest-api-specs,
//                specification/authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01/*.json
//
// Re-run (from the project root):
//   git clone --filter=blob:none https://github.com/microsoftgraph/msgraph-metadata /tmp/msgraph-metadata
//   git -C /tmp/msgraph-metadata show HEAD:clean_v10_metadata/cleanMetadata.xml > /tmp/cleanMetadata.xml
//   # a sparse checkout of azure-rest-api-specs, the folder above, gives the ARM files
//   node scripts/extract-pim-schemas.mjs \
//     --graph /tmp/cleanMetadata.xml --graph-commit "$(git -C /tmp/msgraph-metadata rev-parse HEAD)" \
//     --arm-commit <commit of the specs checkout> \
//     --arm <dir>/RoleAssignmentScheduleRequest.json --arm <dir>/RoleEligibilityScheduleInstance.json \
//     --arm <dir>/RoleAssignmentScheduleInstance.json --arm <dir>/RoleManagementPolicyAssignment.json \
//     --arm <dir>/EligibleChildResources.json --arm <dir>/common-types.json \
//     [--out test/fixtures/pim-schemas.json]
//   npx prettier --write test/fixtures/pim-schemas.json   # the committed file is prettier-formatted
// An --arm value may end in @<commit> when that file was read at a different commit than --arm-commit.
// Only the `definitions` of an ARM file are read, so a file holding just its definitions gives the same output.

import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const GRAPH_NS = "microsoft.graph";
const ARM_FOLDER = "specification/authorization/resource-manager/Microsoft.Authorization/stable/2020-10-01";

/** Graph types PIM Tray reads or writes; their base types, property types and derived types come along. */
const GRAPH_ROOTS = [
  "privilegedAccessGroupEligibilityScheduleInstance",
  "privilegedAccessGroupAssignmentScheduleInstance",
  "privilegedAccessGroupAssignmentScheduleRequest",
  "unifiedRoleManagementPolicy",
  "unifiedRoleManagementPolicyAssignment",
  "unifiedRoleManagementPolicyRule",
  "unifiedRoleEligibilityScheduleInstance",
  "unifiedRoleAssignmentScheduleInstance",
  "unifiedRoleAssignmentScheduleRequest",
  "unifiedRoleDefinition",
];

function parseArgs(argv) {
  const out = { arm: [], out: "test/fixtures/pim-schemas.json" };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === "--graph") out.graph = value;
    else if (flag === "--graph-commit") out.graphCommit = value;
    else if (flag === "--arm") out.arm.push(value);
    else if (flag === "--arm-commit") out.armCommit = value;
    else if (flag === "--out") out.out = value;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!out.graph || !out.graphCommit || out.arm.length === 0) {
    throw new Error(
      "usage: --graph <cleanMetadata.xml> --graph-commit <sha> --arm <file.json>[@sha]... [--arm-commit <sha>]",
    );
  }
  return out;
}

// ---------- Graph (CSDL) ----------

function attributes(text) {
  const attrs = {};
  for (const m of text.matchAll(/([A-Za-z_:]+)="([^"]*)"/g)) attrs[m[1]] = m[2];
  return attrs;
}

/** Strips the namespace or its alias ("graph.x", "microsoft.graph.x") from a type name; keeps Edm.* and Collection(). */
function shortType(type) {
  const collection = /^Collection\((.*)\)$/.exec(type);
  if (collection) return `Collection(${shortType(collection[1])})`;
  if (type.startsWith("Edm.")) return type;
  if (type.startsWith("graph.")) return type.slice("graph.".length);
  if (type.startsWith(`${GRAPH_NS}.`) && !type.slice(GRAPH_NS.length + 1).includes(".")) {
    return type.slice(GRAPH_NS.length + 1);
  }
  return type; // another namespace: kept qualified, never followed
}

/** Reads every EntityType, ComplexType and EnumType of the microsoft.graph schema. */
function readCsdl(xml) {
  const types = new Map();
  const enums = new Map();
  let inGraphSchema = false;
  let current = null;
  for (const m of xml.matchAll(/<(\/?)([A-Za-z]+)((?:\s+[A-Za-z_:]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (tag === "Schema") {
      if (closing) inGraphSchema = false;
      else inGraphSchema = attributes(attrText).Namespace === GRAPH_NS;
      continue;
    }
    if (!inGraphSchema) continue;
    if (closing) {
      if (tag === "EntityType" || tag === "ComplexType" || tag === "EnumType") current = null;
      continue;
    }
    const a = attributes(attrText);
    if (tag === "EntityType" || tag === "ComplexType") {
      const t = {
        kind: tag === "EntityType" ? "entity" : "complex",
        ...(a.BaseType ? { baseType: shortType(a.BaseType) } : {}),
        ...(a.Abstract === "true" ? { abstract: true } : {}),
        ...(a.OpenType === "true" ? { openType: true } : {}),
        key: [],
        properties: {},
        navigation: {},
      };
      types.set(a.Name, t);
      current = selfClosing ? null : t;
    } else if (tag === "EnumType") {
      const e = { members: [], ...(a.IsFlags === "true" ? { isFlags: true } : {}) };
      enums.set(a.Name, e);
      current = selfClosing ? null : e;
    } else if (current && tag === "PropertyRef") {
      current.key.push(a.Name);
    } else if (current && tag === "Property") {
      current.properties[a.Name] = {
        type: shortType(a.Type),
        nullable: a.Nullable !== "false",
        ...(a.DefaultValue !== undefined ? { default: a.DefaultValue } : {}),
      };
    } else if (current && tag === "NavigationProperty") {
      current.navigation[a.Name] = {
        type: shortType(a.Type),
        ...(a.ContainsTarget === "true" ? { contained: true } : {}),
      };
    } else if (current && tag === "Member") {
      current.members.push(a.Name);
    }
  }
  return { types, enums };
}

function elementType(type) {
  const collection = /^Collection\((.*)\)$/.exec(type);
  return collection ? collection[1] : type;
}

/** The roots plus everything needed to check them: base types, property types, derived types (see below). */
function closeGraph({ types, enums }) {
  const outTypes = {};
  const outEnums = {};
  const queue = [...GRAPH_ROOTS];
  const roots = new Set(GRAPH_ROOTS);
  while (queue.length > 0) {
    const name = queue.shift();
    // Types of other namespaces stay unchecked (the validator accepts any object for them).
    if (name in outTypes || name in outEnums || name.startsWith("Edm.") || name.includes(".")) continue;
    if (enums.has(name)) {
      outEnums[name] = enums.get(name);
      continue;
    }
    const t = types.get(name);
    if (!t) throw new Error(`type ${name} not found in the metadata`);
    const { key, ...rest } = t;
    outTypes[name] = key.length > 0 ? { ...rest, key } : rest;
    if (t.baseType) queue.push(t.baseType);
    for (const p of Object.values(t.properties)) queue.push(elementType(p.type));
    // Navigation targets are followed only when they are roots themselves (an $expand of them is then checked).
    for (const n of Object.values(t.navigation)) if (roots.has(elementType(n.type))) queue.push(elementType(n.type));
    // Derived types ride along for abstract complex types (subjectSet) and abstract roots (the policy rule), never for
    // entity, which every entity derives from.
    if (t.abstract && (t.kind === "complex" || roots.has(name))) {
      for (const [other, o] of types) if (o.baseType === name) queue.push(other);
    }
  }
  return { types: sortKeys(outTypes), enums: sortKeys(outEnums) };
}

// ---------- ARM (OpenAPI 2.0) ----------

const ARM_KEEP = ["type", "format", "enum", "readOnly", "required", "discriminator", "x-ms-discriminator-value"];

/** Reduces a schema to what validation needs: no descriptions, refs as {file, name}. */
function reduceSchema(schema, file) {
  const out = {};
  for (const k of ARM_KEEP) if (schema[k] !== undefined) out[k] = schema[k];
  if (schema["x-ms-enum"]) out.enumName = schema["x-ms-enum"].name;
  if (schema.$ref) out.ref = reduceRef(schema.$ref, file);
  if (schema.items) out.items = reduceSchema(schema.items, file);
  if (schema.allOf) out.allOf = schema.allOf.map((s) => reduceSchema(s, file));
  if (schema.properties) {
    out.properties = {};
    for (const [name, p] of Object.entries(schema.properties)) out.properties[name] = reduceSchema(p, file);
  }
  if (schema.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof schema.additionalProperties === "object"
        ? reduceSchema(schema.additionalProperties, file)
        : schema.additionalProperties;
  }
  return out;
}

function reduceRef(ref, file) {
  const m = /^([^#]*)#\/definitions\/(.+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref} in ${file}`);
  return { file: m[1] === "" ? file : basename(m[1]), name: m[2] };
}

function readArm(specs) {
  const files = {};
  for (const { path, commit } of specs) {
    const file = basename(path);
    const json = JSON.parse(readFileSync(path, "utf8"));
    const definitions = {};
    for (const [name, schema] of Object.entries(json.definitions ?? {})) definitions[name] = reduceSchema(schema, file);
    files[file] = { path: `${ARM_FOLDER}/${file}`, commit, definitions: sortKeys(definitions) };
  }
  return sortKeys(files);
}

function sortKeys(obj) {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => a.localeCompare(b)));
}

// ---------- main ----------

const args = parseArgs(process.argv.slice(2));
const graph = closeGraph(readCsdl(readFileSync(args.graph, "utf8")));
const armSpecs = args.arm.map((value) => {
  const at = value.lastIndexOf("@");
  const [path, commit] = at > 0 ? [value.slice(0, at), value.slice(at + 1)] : [value, args.armCommit];
  if (!commit) throw new Error(`no commit for ${path}: give --arm-commit or <file>@<sha>`);
  return { path, commit };
});
const fixture = {
  comment: "Generated by scripts/extract-pim-schemas.mjs; do not edit by hand (re-run the script, see its header).",
  sources: {
    graph: {
      repo: "microsoftgraph/msgraph-metadata",
      path: "clean_v10_metadata/cleanMetadata.xml",
      commit: args.graphCommit,
      namespace: GRAPH_NS,
      roots: GRAPH_ROOTS,
    },
    arm: { repo: "Azure/azure-rest-api-specs", folder: ARM_FOLDER, apiVersion: "2020-10-01" },
  },
  graph,
  arm: readArm(armSpecs),
};
writeFileSync(args.out, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(
  `wrote ${args.out}: ${Object.keys(graph.types).length} Graph types, ${Object.keys(graph.enums).length} enums, ` +
    `${Object.keys(fixture.arm).length} ARM files`,
);
