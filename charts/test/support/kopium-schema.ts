/**
 * The Keycloak operator publishes its CRDs on no package registry; the crate kcr_k8s_keycloak_org
 * (crates.io) carries Rust bindings that kopium generated from them. This turns those bindings
 * back into a strict JSON schema: every struct an object with its serde field names (required
 * when not Option and not #[serde(default)]), every unit enum a string enum, Option<T> optional,
 * Vec<T> an array, BTreeMap<String, T> a map, IntOrString string | integer, serde_json::Value anything.
 */

type Schema = Record<string, unknown>;

export interface KopiumResource {
  group: string;
  version: string;
  kind: string;
  schema: Schema;
}

const SCALARS: Record<string, Schema> = {
  String: { type: 'string' },
  bool: { type: 'boolean' },
  i32: { type: 'integer' },
  i64: { type: 'integer' },
  u32: { type: 'integer' },
  u64: { type: 'integer' },
  f32: { type: 'number' },
  f64: { type: 'number' },
  IntOrString: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
  'serde_json::Value': {},
};

/** The JSON schema of a Rust type as kopium writes them. */
export function typeSchema(rustType: string): Schema {
  const type = rustType.trim();
  const generic = /^(Option|Vec|BTreeMap|HashMap)<(.+)>$/.exec(type);
  if (generic) {
    const [, outer, inner] = generic;
    if (outer === 'Option') return typeSchema(inner);
    if (outer === 'Vec') return { type: 'array', items: typeSchema(inner) };
    const value = inner.slice(inner.indexOf(',') + 1);
    return { type: 'object', additionalProperties: typeSchema(value) };
  }
  if (type in SCALARS) return SCALARS[type];
  if (!/^[A-Z]\w*$/.test(type)) throw new Error(`kopium type not understood: ${type}`);
  return { $ref: `#/definitions/${type}` };
}

const serdeRename = (attributes: string) => /rename\s*=\s*"([^"]+)"/.exec(attributes)?.[1];

/** Parses the struct and enum blocks of a kopium file into JSON schema definitions. */
export function kopiumDefinitions(source: string): Record<string, Schema> {
  const definitions: Record<string, Schema> = {};
  const block = /^pub (struct|enum) (\w+) \{$([\s\S]*?)^\}$/gm;
  for (const [, what, name, body] of source.matchAll(block)) {
    let attributes = '';
    let doc: string[] = [];
    if (what === 'enum') {
      const values: string[] = [];
      for (const line of body.split('\n').map((l) => l.trim())) {
        if (line.startsWith('#[serde(')) attributes = line;
        else if (/^\w+,$/.test(line)) {
          values.push(serdeRename(attributes) ?? line.slice(0, -1));
          attributes = '';
        } else if (line && !line.startsWith('///')) {
          throw new Error(`enum ${name}: variant not understood: ${line}`);
        }
      }
      definitions[name] = { type: 'string', enum: values };
      continue;
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const line of body.split('\n').map((l) => l.trim())) {
      if (line.startsWith('///')) doc.push(line.slice(3).trim());
      else if (line.startsWith('#[serde(')) attributes = line;
      else {
        const field = /^pub (?:r#)?(\w+): (.+),$/.exec(line);
        if (!field) continue;
        const [, ident, type] = field;
        const json = serdeRename(attributes) ?? ident;
        properties[json] = { ...typeSchema(type), ...(doc.length ? { description: doc.join(' ') } : {}) };
        if (!type.startsWith('Option<') && !/\bdefault\b/.test(attributes)) required.push(json);
        attributes = '';
        doc = [];
      }
    }
    definitions[name] = {
      type: 'object',
      additionalProperties: false,
      properties,
      ...(required.length ? { required } : {}),
    };
  }
  return definitions;
}

/** The custom resource a kopium file describes (its #[kube(group, version, kind)]), as one schema. */
export function schemaFromKopium(source: string): KopiumResource {
  const kube = /#\[kube\(group = "([^"]+)", version = "([^"]+)", kind = "([^"]+)"/.exec(source);
  if (!kube) throw new Error('no #[kube(group, version, kind)] in the kopium file');
  const [, group, version, kind] = kube;
  const definitions = kopiumDefinitions(source);
  const spec = `${kind}Spec`;
  if (!definitions[spec]) throw new Error(`no ${spec} struct in the kopium file`);
  return {
    group,
    version,
    kind,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: {
        apiVersion: { type: 'string', enum: [`${group}/${version}`] },
        kind: { type: 'string', enum: [kind] },
        metadata: { type: 'object' },
        spec: { $ref: `#/definitions/${spec}` },
        status: {},
      },
      definitions,
    },
  };
}
