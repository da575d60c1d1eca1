import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

import { schemaFromKopium } from './kopium-schema.js';

type Schema = Record<string, unknown>;

/**
 * A CRD's openAPIV3Schema as a strict JSON schema, the way kubeconform's openapi2jsonschema does
 * it: objects with properties refuse unknown ones (unless x-kubernetes-preserve-unknown-fields),
 * int-or-string becomes string | integer.
 */
export function strictSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictSchema);
  if (node === null || typeof node !== 'object') return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      schema[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, child]) => [name, strictSchema(child)]),
      );
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key)) {
      schema[key] = typeof value === 'boolean' ? value : strictSchema(value);
    } else {
      schema[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    schema.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema.properties && schema.additionalProperties === undefined && !preserve) {
    schema.additionalProperties = false;
  }
  if (schema.nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  return schema;
}

interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema: Schema } }[];
  };
}

/** Where kubeconform finds a custom resource's schema: <dir>/<group>/<kind>_<version>.json. */
export const crdSchemaLocation = (dir: string) =>
  `${dir}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`;

function writeSchema(dir: string, group: string, kind: string, version: string, schema: unknown): string {
  mkdirSync(path.join(dir, group), { recursive: true });
  const file = path.join(dir, group, `${kind.toLowerCase()}_${version}.json`);
  writeFileSync(file, JSON.stringify(schema));
  return file;
}

/**
 * Converts every CRD under `crdDir` (the installer's crds/: YAML from the operators' Go modules
 * and Strimzi's generator, Rust bindings for Keycloak) into kubeconform's layout in a new
 * temporary folder, and returns it with the list of group/kind/version it holds.
 */
export function buildCrdSchemas(crdDir: string): { dir: string; kinds: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cartwheel-crd-schemas-'));
  const kinds: string[] = [];
  for (const source of readdirSync(crdDir)) {
    for (const file of readdirSync(path.join(crdDir, source))) {
      const full = path.join(crdDir, source, file);
      if (file.endsWith('.yaml')) {
        for (const doc of parseAllDocuments(readFileSync(full, 'utf8'))) {
          const crd = doc.toJS() as Crd | null;
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          for (const version of crd.spec.versions) {
            if (!version.schema) continue;
            writeSchema(
              dir,
              crd.spec.group,
              crd.spec.names.kind,
              version.name,
              strictSchema(version.schema.openAPIV3Schema),
            );
            kinds.push(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`);
          }
        }
      } else if (file.endsWith('.rs')) {
        const resource = schemaFromKopium(readFileSync(full, 'utf8'));
        writeSchema(dir, resource.group, resource.kind, resource.version, resource.schema);
        kinds.push(`${resource.group}/${resource.version}/${resource.kind}`);
      }
    }
  }
  return { dir, kinds };
}
