import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildCrdSchemas, crdSchemaLocation } from './support/crd-schemas.js';
import { chartTools, render, renderCases, renderText, run, type K8sObject } from './support/tools.js';

interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: string;
  msg: string;
}

let crdSchemaDir = '';
let crdKinds: string[] = [];
const work = mkdtempSync(path.join(tmpdir(), 'cartwheel-kubeconform-'));

/**
 * kubeconform -strict against the Kubernetes schemas of tools.env's version and the CRD schemas
 * built from the operators' sources; missing schemas are errors, never skipped.
 */
function kubeconform(files: Record<string, string>): KubeconformResource[] {
  const tools = chartTools();
  const paths = Object.entries(files).map(([name, text]) => {
    const file = path.join(work, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, text);
    return file;
  });
  const coreLocation = `${tools.kubeSchemaDir}/{{ .NormalizedKubernetesVersion }}-local-strict/{{ .ResourceKind }}{{ .KindSuffix }}.json`;
  const result = run(tools.kubeconform, [
    '-strict',
    '-output',
    'json',
    '-verbose',
    '-kubernetes-version',
    tools.kubeVersion,
    '-schema-location',
    coreLocation,
    '-schema-location',
    crdSchemaLocation(crdSchemaDir),
    ...paths,
  ]);
  const report = JSON.parse(result.stdout) as { resources: KubeconformResource[] };
  return report.resources;
}

const failures = (resources: KubeconformResource[]) =>
  resources.filter((r) => r.status !== 'statusValid').map((r) => `${r.kind}/${r.name}: ${r.status} ${r.msg}`);

describe('kubeconform: every rendered object against its schema', function () {
  this.timeout(180_000);

  // One kubeconform run for every render, so each schema is compiled once.
  let results: KubeconformResource[] = [];
  before(() => {
    ({ dir: crdSchemaDir, kinds: crdKinds } = buildCrdSchemas(chartTools().crdDir));
    results = kubeconform(
      Object.fromEntries(renderCases.map(({ name, options }) => [name, renderText(options)])),
    );
  });

  it('when the CRD schemas are built, then every operator kind the chart renders has one', () => {
    const kinds = new Set(crdKinds);
    const rendered = render({ values: ['values-dev.yaml'] })
      .filter((o) => o.apiVersion.includes('.') && !o.apiVersion.includes('k8s.io/'))
      .map((o) => `${o.apiVersion}/${o.kind}`);
    for (const kind of new Set(rendered)) expect(kinds.has(kind), kind).to.equal(true);
    // Strimzi 4, CloudNativePG 2, MongoDB 1, Keycloak 2, Prometheus operator 3.
    expect(new Set(rendered).size).to.equal(12);
  });

  for (const { name, options } of renderCases) {
    it(`when rendered with ${name}, then every object is valid in strict mode`, () => {
      const resources = results.filter(
        (r) => path.basename(r.filename) === `${name.replace(/\W+/g, '-')}.yaml`,
      );
      expect(failures(resources)).to.deep.equal([]);
      expect(resources.length).to.equal(render(options).length);
    });
  }

  const broken: { name: string; object: Record<string, unknown>; reason: RegExp }[] = [
    {
      name: 'a KafkaUser ACL with an operation Kafka does not have',
      object: {
        apiVersion: 'kafka.strimzi.io/v1',
        kind: 'KafkaUser',
        metadata: { name: 'x', labels: { 'strimzi.io/cluster': 'c' } },
        spec: {
          authentication: { type: 'scram-sha-512' },
          authorization: {
            type: 'simple',
            acls: [{ resource: { type: 'topic', name: 't' }, operations: ['Publish'] }],
          },
        },
      },
      reason: /Publish|enum|must be one of/i,
    },
    {
      name: 'a Keycloak CR with a field the operator does not know',
      object: {
        apiVersion: 'k8s.keycloak.org/v2alpha1',
        kind: 'Keycloak',
        metadata: { name: 'k' },
        spec: { replicas: 2 },
      },
      reason: /replicas|additional/i,
    },
    {
      name: 'a CloudNativePG Cluster with instances as a string',
      object: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'p' },
        spec: { instances: 'two' },
      },
      reason: /integer|instances/i,
    },
    {
      name: 'a MongoDBCommunity without its users',
      object: {
        apiVersion: 'mongodbcommunity.mongodb.com/v1',
        kind: 'MongoDBCommunity',
        metadata: { name: 'm' },
        spec: { type: 'ReplicaSet', members: 1, version: '8.0.12', security: {} },
      },
      reason: /users/,
    },
    {
      name: 'a ServiceMonitor endpoint with a misspelt field',
      object: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 's' },
        spec: { selector: {}, endpoints: [{ port: 'http', intervall: '30s' }] },
      },
      reason: /intervall|additional/i,
    },
    {
      name: 'a Deployment with replicas "two"',
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: { replicas: 'two', selector: {}, template: {} },
      },
      reason: /integer|replicas/i,
    },
  ];

  for (const { name, object, reason } of broken) {
    it(`when given ${name}, then the schema refuses it`, () => {
      const [resource] = kubeconform({ [name]: JSON.stringify(object as K8sObject) });
      expect(resource.status).to.equal('statusInvalid');
      expect(resource.msg).to.match(reason);
    });
  }
});
