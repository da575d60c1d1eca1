import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

import { render, umbrellaDir } from './support/tools.js';

const readValues = (file: string) =>
  parse(readFileSync(path.join(umbrellaDir, file), 'utf8')) as Record<string, unknown>;

let validate: ValidateFunction;

/** The problems ajv finds, as "<path>: <message>". */
function problems(values: unknown): string[] {
  return validate(values) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath}: ${e.message}`);
}

describe('values.schema.json', function () {
  this.timeout(60_000);

  before(() => {
    const schema = JSON.parse(readFileSync(path.join(umbrellaDir, 'values.schema.json'), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  });

  for (const file of ['values.yaml', 'values-dev.yaml', 'values-prod.yaml']) {
    it(`when ${file} is checked, then it matches the schema`, () => {
      expect(problems(readValues(file))).to.deep.equal([]);
    });
  }

  it('when every documented top-level section of values.yaml is compared with the schema, then they are the same keys', () => {
    const schema = JSON.parse(readFileSync(path.join(umbrellaDir, 'values.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    const documented = Object.keys(readValues('values.yaml')).sort();
    const described = Object.keys(schema.properties)
      .filter((k) => k !== 'cartwheel-lib')
      .sort();
    expect(described).to.deep.equal(documented);
  });

  it('when a service asks for replicas "two", then the schema rejects it (ajv and helm alike)', () => {
    const values = { ...readValues('values.yaml'), order: { replicaCount: 'two' } };
    expect(problems(values)).to.deep.equal(['/order/replicaCount: must be integer']);
    expect(() => render({ set: ['order.replicaCount=two'] })).to.throw(
      /\/order\/replicaCount': got string, want integer/,
    );
  });

  it('when a node pool asks for replicas "two", then helm refuses to render', () => {
    expect(() =>
      render({ set: ['kafka.nodePools[0].name=dual', 'kafka.nodePools[0].replicas=two'] }),
    ).to.throw(/\/kafka\/nodePools\/0\/replicas': got string, want integer/);
  });

  it('when a key is misspelt, then the schema rejects it instead of ignoring it', () => {
    const values = { ...readValues('values.yaml'), postgres: { instance: 3 } };
    expect(problems(values)).to.deep.equal(['/postgres: must NOT have additional properties']);
    expect(() => render({ set: ['postgres.instance=3'] })).to.throw(
      /additional properties 'instance' not allowed/,
    );
  });

  it('when values name an unknown topic, log level or a "latest" image, then each is refused', () => {
    expect(problems({ user: { kafka: { produces: ['user-events'] } } })).to.deep.equal([
      '/user/kafka/produces/0: must be equal to one of the allowed values',
    ]);
    expect(problems({ global: { logLevel: 'verbose' } })).to.deep.equal([
      '/global/logLevel: must be equal to one of the allowed values',
    ]);
    expect(problems({ global: { image: { tag: 'latest' } } })).to.deep.equal([
      '/global/image/tag: must NOT be valid',
    ]);
    expect(problems({ redis: { image: 'redis:latest' } })).to.deep.equal(['/redis/image: must NOT be valid']);
  });
});
