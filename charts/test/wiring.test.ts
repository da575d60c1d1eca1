import { expect } from 'chai';

import { findObject, render, serviceCharts, type K8sObject } from './support/tools.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: unknown[];
}

const containerEnv = (objects: K8sObject[], service: string): EnvVar[] =>
  (
    findObject(objects, 'Deployment', `cartwheel-${service}`).spec as {
      template: { spec: { containers: { env?: EnvVar[] }[] } };
    }
  ).template.spec.containers[0].env ?? [];

/** Service → service pairs a NetworkPolicy rule list lets through (peers selected by app.kubernetes.io/name). */
const peersOf = (rules: Rule[], side: 'from' | 'to') =>
  rules.flatMap((rule) =>
    (rule[side] ?? []).map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name']),
  );

describe('wiring of the default render', function () {
  this.timeout(60_000);
  let objects: K8sObject[] = [];

  before(() => {
    objects = render();
  });

  it('when a service reads a Secret, then the chart renders it or an operator makes it from a rendered resource', () => {
    const rendered = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
    const kafkaUsers = new Set(objects.filter((o) => o.kind === 'KafkaUser').map((o) => o.metadata.name));
    const mongo = findObject(objects, 'MongoDBCommunity', 'cartwheel-mongodb').spec as {
      users: { name: string; db: string }[];
    };
    const mongoSecrets = new Set(mongo.users.map((u) => `cartwheel-mongodb-${u.db}-${u.name}`));
    const missing: string[] = [];
    for (const service of serviceCharts) {
      for (const variable of containerEnv(objects, service)) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (!ref || ref.optional) continue;
        const made = rendered.has(ref.name) || kafkaUsers.has(ref.name) || mongoSecrets.has(ref.name);
        if (!made) missing.push(`${service} ${variable.name} ← ${ref.name}`);
        if (rendered.has(ref.name)) {
          const data = findObject(objects, 'Secret', ref.name).data ?? {};
          if (!(ref.key in data))
            missing.push(`${service} ${variable.name} ← ${ref.name}.${ref.key} (no such key)`);
        }
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('when the user service starts, then it gets the signing key, every other service client and the first admin', () => {
    const names = containerEnv(objects, 'user').map((v) => v.name);
    expect(names).to.include.members([
      'JWT_PRIVATE_KEYS',
      'SERVICE_CLIENTS',
      'CARTWHEEL_ADMIN_EMAIL',
      'CARTWHEEL_ADMIN_PASSWORD',
    ]);
    const clients = findObject(objects, 'Secret', 'cartwheel-service-clients').data ?? {};
    const list = Buffer.from(clients.SERVICE_CLIENTS, 'base64').toString();
    const ids = list.split(',').map((entry) => entry.split(':')[0]);
    expect(ids).to.deep.equal(['gateway', 'product', 'inventory', 'order', 'notification', 'ai']);
    for (const entry of list.split(',')) {
      const [id, secret] = entry.split(':');
      expect(Buffer.from(clients[id], 'base64').toString(), id).to.equal(secret);
      expect(secret.length, id).to.be.at.least(16);
    }
    const key = Buffer.from(
      (findObject(objects, 'Secret', 'cartwheel-jwt').data ?? {})['private-keys.pem'],
      'base64',
    );
    expect(key.toString()).to.match(/^-----BEGIN EC PRIVATE KEY-----/);
  });

  it('when KafkaUsers are rendered, then each grants exactly what its service produces and consumes, on topics that exist', () => {
    const topics = new Set(
      objects.filter((o) => o.kind === 'KafkaTopic').map((o) => (o.spec as { topicName: string }).topicName),
    );
    const expected: Record<string, Record<string, string[]>> = {
      user: { users: ['Create', 'Describe', 'Write'], 'users.dlq': ['Create', 'Describe'] },
      order: { orders: ['Create', 'Describe', 'Write'], 'orders.dlq': ['Create', 'Describe'] },
      ai: {
        'ai-notifications': ['Create', 'Describe', 'Write'],
        'ai-notifications.dlq': ['Create', 'Describe'],
        orders: ['Create', 'Describe', 'Read'],
        'orders.dlq': ['Create', 'Describe', 'Write'],
      },
    };
    for (const [service, acls] of Object.entries(expected)) {
      const spec = findObject(objects, 'KafkaUser', `cartwheel-${service}`).spec as {
        authorization: {
          acls: { resource: { type: string; name?: string; patternType?: string }; operations: string[] }[];
        };
      };
      const topicAcls = spec.authorization.acls.filter((a) => a.resource.type === 'topic');
      expect(
        Object.fromEntries(topicAcls.map((a) => [a.resource.name, a.operations])),
        service,
      ).to.deep.equal(acls);
      for (const acl of spec.authorization.acls) {
        expect(acl.resource.patternType ?? 'literal', service).to.equal('literal');
        expect(acl.operations, service).to.not.include('All');
        if (acl.resource.type === 'topic')
          expect(topics.has(acl.resource.name ?? ''), acl.resource.name).to.equal(true);
        if (acl.resource.type === 'group') expect(acl.resource.name).to.equal(service);
      }
    }
    expect(
      objects
        .filter((o) => o.kind === 'KafkaUser')
        .map((o) => o.metadata.name)
        .sort(),
    ).to.deep.equal(
      ['ai', 'inventory', 'notification', 'order', 'product', 'user'].map((s) => `cartwheel-${s}`),
    );
  });

  it('when NetworkPolicies are combined, then service-to-service traffic is exactly the flows of DESIGN §3', () => {
    const policies = new Map(
      serviceCharts.map((s) => [
        s,
        findObject(objects, 'NetworkPolicy', `cartwheel-${s}`).spec as { ingress: Rule[]; egress: Rule[] },
      ]),
    );
    const allowed: string[] = [];
    for (const [from, fromPolicy] of policies) {
      for (const [to, toPolicy] of policies) {
        const egress = peersOf(fromPolicy.egress, 'to').includes(to);
        const ingressOpen = toPolicy.ingress.some((rule) => !rule.from);
        const ingress = ingressOpen || peersOf(toPolicy.ingress, 'from').includes(from);
        if (egress && ingress) allowed.push(`${from} → ${to}`);
      }
    }
    expect(allowed.sort()).to.deep.equal(
      [
        'gateway → user',
        'gateway → product',
        'gateway → inventory',
        'gateway → order',
        'gateway → ai',
        'product → user',
        'inventory → user',
        'order → user',
        'order → product',
        'order → inventory',
        'ai → user',
        'ai → product',
        'ai → inventory',
      ].sort(),
    );
    const deny = findObject(objects, 'NetworkPolicy', 'cartwheel-default-deny').spec;
    expect(deny).to.deep.equal({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('when the gateway discovers routes, then the routed Services carry the DESIGN §6 prefixes and it may watch Services', () => {
    const routes = Object.fromEntries(
      objects
        .filter((o) => o.kind === 'Service' && o.metadata.annotations?.['cartwheel.dev/route-prefix'])
        .map((o) => [o.metadata.name, o.metadata.annotations?.['cartwheel.dev/route-prefix']]),
    );
    expect(routes).to.deep.equal({
      'cartwheel-user': '/api/v1/auth,/api/v1/users,/.well-known',
      'cartwheel-product': '/api/v1/products',
      'cartwheel-inventory': '/api/v1/inventory',
      'cartwheel-order': '/api/v1/orders',
      'cartwheel-ai': '/api/v1/ai',
    });
    expect(findObject(objects, 'ConfigMap', 'cartwheel-gateway').data?.ROUTES_FROM_KUBERNETES).to.equal(
      'true',
    );
    expect(findObject(objects, 'Role', 'cartwheel-gateway').rules).to.deep.equal([
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  it('when Postgres services connect, then each has a managed role, a Database it owns and a basic-auth Secret of that role', () => {
    const cluster = findObject(objects, 'Cluster', 'cartwheel-pg').spec as {
      managed: { roles: { name: string; passwordSecret: { name: string } }[] };
    };
    for (const [service, database] of [
      ['user', 'cartwheel_user'],
      ['inventory', 'cartwheel_inventory'],
      ['order', 'cartwheel_order'],
      ['keycloak', 'keycloak'],
    ]) {
      const role = cluster.managed.roles.find((r) => r.name === database);
      expect(role?.passwordSecret.name, service).to.equal(`cartwheel-pg-${service}`);
      const secret = findObject(objects, 'Secret', `cartwheel-pg-${service}`);
      expect(secret.type).to.equal('kubernetes.io/basic-auth');
      expect(Buffer.from(secret.data?.username ?? '', 'base64').toString()).to.equal(database);
      expect(findObject(objects, 'Database', `cartwheel-pg-${service}`).spec).to.include({
        name: database,
        owner: database,
      });
    }
  });
});
