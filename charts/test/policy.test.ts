import { expect } from 'chai';

import { pinnedImage, policyViolations } from './support/policy.js';
import { findObject, render, type K8sObject } from './support/tools.js';

describe('policy over the production render (values-prod.yaml)', function () {
  this.timeout(60_000);
  let prod: K8sObject[] = [];

  before(() => {
    prod = render({ values: ['values-prod.yaml'] });
  });

  it('when the prod manifests are checked, then no container runs as root, lacks resources or probes, or uses latest, and every Deployment has a PDB', () => {
    expect(policyViolations(prod)).to.deep.equal([]);
    expect(prod.filter((o) => o.kind === 'Deployment')).to.have.length(7);
    expect(prod.filter((o) => o.kind === 'PodDisruptionBudget')).to.have.length(7);
  });

  it('when prod runs HA, then operators get 3 controllers and 3 brokers, 3 Postgres instances, 3 Mongo members and HPAs of 2+', () => {
    const pools = prod
      .filter((o) => o.kind === 'KafkaNodePool')
      .map((o) => o.spec as { replicas: number; roles: string[] })
      .map(({ replicas, roles }) => ({ replicas, roles }));
    expect(pools).to.have.deep.members([
      { replicas: 3, roles: ['controller'] },
      { replicas: 3, roles: ['broker'] },
    ]);
    expect((findObject(prod, 'Cluster', 'cartwheel-pg').spec as { instances: number }).instances).to.equal(3);
    expect(
      (findObject(prod, 'MongoDBCommunity', 'cartwheel-mongodb').spec as { members: number }).members,
    ).to.equal(3);
    const kafkaConfig = (
      findObject(prod, 'Kafka', 'cartwheel-kafka').spec as { kafka: { config: Record<string, unknown> } }
    ).kafka.config;
    expect(kafkaConfig).to.include({ 'default.replication.factor': 3, 'min.insync.replicas': 2 });
    for (const hpa of prod.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      expect((hpa.spec as { minReplicas: number }).minReplicas, hpa.metadata.name).to.be.at.least(2);
    }
  });

  it('when operator-managed workloads are sized, then each asks for memory and limits it', () => {
    const sized = [
      ...prod
        .filter((o) => o.kind === 'KafkaNodePool')
        .map((o) => (o.spec as { resources: unknown }).resources),
      (findObject(prod, 'Cluster', 'cartwheel-pg').spec as { resources: unknown }).resources,
      (findObject(prod, 'Keycloak', 'cartwheel-keycloak').spec as { resources: unknown }).resources,
    ] as { requests: { memory: string }; limits: { memory: string } }[];
    for (const resources of sized) {
      expect(resources.requests.memory).to.be.a('string');
      expect(resources.limits.memory).to.be.a('string');
    }
  });

  describe('the policy itself', () => {
    const deployment = (
      container: Record<string, unknown>,
      podSecurity: Record<string, unknown> = {},
    ): K8sObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bad' },
      spec: {
        template: {
          metadata: { labels: { app: 'bad' } },
          spec: { securityContext: podSecurity, containers: [{ name: 'c', ...container }] },
        },
      },
    });

    it('when a container runs as root with no resources, probes or PDB on an unpinned image, then every rule names it', () => {
      const violations = policyViolations([
        deployment({ image: 'redis', securityContext: { runAsUser: 0 } }),
      ]);
      expect(violations).to.deep.equal([
        'Deployment/bad container c: runAsNonRoot is not true',
        'Deployment/bad container c: runs as uid 0 or unset',
        'Deployment/bad container c: allowPrivilegeEscalation is not false',
        'Deployment/bad container c: root filesystem is writable',
        'Deployment/bad container c: does not drop ALL',
        'Deployment/bad container c: no CPU and memory requests',
        'Deployment/bad container c: no memory limit',
        'Deployment/bad container c: no liveness and readiness probes',
        'Deployment/bad container c: image redis is not pinned',
        'Deployment/bad: no PodDisruptionBudget selects its pods',
      ]);
    });

    it('when images are checked, then only an explicit non-latest tag or a digest counts as pinned', () => {
      expect(pinnedImage('localhost:5001/cartwheel-order')).to.equal(false);
      expect(pinnedImage('redis:latest')).to.equal(false);
      expect(pinnedImage('localhost:5001/cartwheel-order:0.1.0')).to.equal(true);
      expect(pinnedImage('cartwheel-order@sha256:' + 'a'.repeat(64))).to.equal(true);
    });
  });
});
