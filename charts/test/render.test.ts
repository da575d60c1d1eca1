import { expect } from 'chai';

import {
  chartTools,
  chartsDir,
  findObject,
  render,
  renderCases,
  run,
  serviceCharts,
  umbrellaDir,
  type K8sObject,
} from './support/tools.js';

const deployments = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
const configData = (objects: K8sObject[], name: string) => findObject(objects, 'ConfigMap', name).data ?? {};

/** Helm 3, and Helm 4 when the installer could build it (the render check runs under both). */
const helms = () => {
  const tools = chartTools();
  return [
    { name: 'Helm 3', bin: tools.helm },
    ...(tools.helm4 ? [{ name: 'Helm 4', bin: tools.helm4 }] : []),
  ];
};

describe('helm lint --strict', function () {
  this.timeout(120_000);

  for (const values of [[], ['values-dev.yaml'], ['values-prod.yaml']]) {
    it(`when the umbrella is linted with ${values[0] ?? 'default values'} under Helm 3 and 4, then no rule fails`, () => {
      const tools = chartTools();
      for (const helm of helms()) {
        const args = ['lint', '--strict', '--kube-version', tools.kubeVersion, umbrellaDir];
        for (const file of values) args.push('--values', `${umbrellaDir}/${file}`);
        const result = run(helm.bin, args);
        expect(result.status, `${helm.name}: ${result.stdout}${result.stderr}`).to.equal(0);
        expect(result.stdout, helm.name).to.include('1 chart(s) linted, 0 chart(s) failed');
      }
    });
  }

  it('when the library, every service chart and the library fixture are linted on their own, then none fails', () => {
    const tools = chartTools();
    const charts = ['cartwheel-lib', ...serviceCharts, 'cartwheel-lib/test-chart'].map(
      (c) => `${chartsDir}/${c}`,
    );
    const result = run(tools.helm, ['lint', '--strict', '--kube-version', tools.kubeVersion, ...charts]);
    expect(result.status, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.include(`${charts.length} chart(s) linted, 0 chart(s) failed`);
  });
});

describe('helm template', function () {
  this.timeout(120_000);

  it('when the tools were installed, then Helm 4 is among them for the render check', () => {
    const tools = chartTools();
    expect(tools.helm4, `helm 4 did not build: ${tools.helm4Unavailable}`).to.not.equal('');
  });

  for (const { name, options } of renderCases) {
    it(`when rendered with ${name}, then Helm 3 and Helm 4 produce the same objects with every enabled service`, () => {
      const [helm3, ...others] = helms().map((h) => ({ ...h, objects: render({ ...options, helm: h.bin }) }));
      const expected = serviceCharts
        .filter((s) => !(name === 'AI off' && s === 'ai'))
        .map((s) => `cartwheel-${s}`)
        .sort();
      expect(
        deployments(helm3.objects)
          .filter((d) => !d.endsWith('mailpit'))
          .sort(),
      ).to.deep.equal(expected);
      for (const kind of ['Kafka', 'KafkaNodePool', 'Cluster', 'MongoDBCommunity', 'StatefulSet']) {
        expect(
          helm3.objects.some((o) => o.kind === kind),
          `${kind} rendered`,
        ).to.equal(true);
      }
      const summary = (objects: K8sObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
      for (const other of others)
        expect(summary(other.objects), other.name).to.deep.equal(summary(helm3.objects));
    });
  }

  it('when Keycloak is turned off, then no Keycloak object, database role or verifier setting is rendered', () => {
    const objects = render({ set: ['global.keycloak.enabled=false'] });
    expect(objects.filter((o) => o.apiVersion.startsWith('k8s.keycloak.org/'))).to.deep.equal([]);
    expect(
      objects.filter((o) => o.metadata.name.includes('keycloak')).map((o) => o.metadata.name),
    ).to.deep.equal([]);
    for (const service of serviceCharts) {
      expect(configData(objects, `cartwheel-${service}`)).to.not.have.property('KEYCLOAK_ISSUER');
    }
    const roles = (
      findObject(objects, 'Cluster', 'cartwheel-pg').spec as { managed: { roles: { name: string }[] } }
    ).managed.roles;
    expect(roles.map((r) => r.name)).to.deep.equal([
      'cartwheel_user',
      'cartwheel_inventory',
      'cartwheel_order',
    ]);
  });

  it('when Keycloak is on, then its CR reads the realm export and every verifier gets its issuer', () => {
    const objects = render();
    const realmImport = findObject(objects, 'KeycloakRealmImport', 'cartwheel-keycloak-cartwheel');
    const realm = (realmImport.spec as { realm: { realm: string; clients: { clientId: string }[] } }).realm;
    expect(realm.realm).to.equal('cartwheel');
    expect(realm.clients.map((c) => c.clientId)).to.deep.equal(['cartwheel-web', 'cartwheel-service']);
    for (const service of serviceCharts.filter((s) => s !== 'notification')) {
      expect(configData(objects, `cartwheel-${service}`).KEYCLOAK_ISSUER, service).to.equal(
        'http://localhost:8180/realms/cartwheel',
      );
    }
  });

  it('when the ai service is turned off, then it has no Deployment, KafkaUser or Secret and the rest still renders', () => {
    const objects = render({ set: ['ai.enabled=false'] });
    expect(objects.filter((o) => o.metadata.name === 'cartwheel-ai')).to.deep.equal([]);
    expect(objects.filter((o) => o.kind === 'KafkaUser').map((o) => o.metadata.name)).to.not.include(
      'cartwheel-ai',
    );
    expect(findObject(objects, 'KafkaTopic', 'cartwheel-kafka-ai-notifications').spec).to.include({
      topicName: 'ai-notifications',
    });
  });

  it('when Mailpit is turned off in dev, then nothing of it is rendered and notification gets no SMTP_URL but SMTP egress', () => {
    const on = render({ values: ['values-dev.yaml'] });
    const off = render({ values: ['values-dev.yaml'], set: ['global.mailpit.enabled=false'] });
    expect(configData(on, 'cartwheel-notification').SMTP_URL).to.equal('smtp://cartwheel-mailpit:1025');
    expect(off.filter((o) => o.metadata.name.includes('mailpit'))).to.deep.equal([]);
    expect(configData(off, 'cartwheel-notification')).to.not.have.property('SMTP_URL');
    const egress = (findObject(off, 'NetworkPolicy', 'cartwheel-notification').spec as { egress: unknown[] })
      .egress;
    expect(egress).to.deep.include({ ports: [{ port: 25 }, { port: 465 }, { port: 587 }] });
  });

  it('when the image tag is "latest", then the values schema refuses it before anything renders', () => {
    expect(() => render({ set: ['order.image.tag=latest'] })).to.throw(
      /at '\/order\/image\/tag': 'not' failed/,
    );
  });
});
