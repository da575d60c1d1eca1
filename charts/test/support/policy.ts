import type { K8sObject } from './tools.js';

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[] };
}

interface Container {
  name: string;
  image: string;
  securityContext?: SecurityContext;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

interface PodSpec {
  securityContext?: SecurityContext;
  containers: Container[];
  initContainers?: Container[];
}

/** The pod template (or pod spec) of a workload, with its labels; undefined for other kinds. */
export function podOf(object: K8sObject): { spec: PodSpec; labels: Record<string, string> } | undefined {
  if (object.kind === 'Pod')
    return { spec: object.spec as unknown as PodSpec, labels: object.metadata.labels ?? {} };
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind)) {
    const template = (
      object.spec as { template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec } }
    ).template;
    return { spec: template.spec, labels: template.metadata?.labels ?? {} };
  }
  return undefined;
}

/** An image names a build: an explicit tag that is not "latest", or a digest. */
export function pinnedImage(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash && image.slice(colon + 1) !== 'latest';
}

const isHelmTest = (object: K8sObject) =>
  (object.metadata.annotations?.['helm.sh/hook'] ?? '').includes('test');

/**
 * The production policy (issue 10): no container runs as root or can escalate, every container
 * has a read-only root, drops all capabilities, requests CPU and memory and limits memory,
 * long-running containers have liveness and readiness probes (a `helm test` pod runs once and has
 * none), no image is unpinned or "latest", and every Deployment is covered by a PDB.
 */
export function policyViolations(objects: K8sObject[]): string[] {
  const violations: string[] = [];
  for (const object of objects) {
    const pod = podOf(object);
    if (!pod) continue;
    const where = `${object.kind}/${object.metadata.name}`;
    for (const container of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const at = `${where} container ${container.name}`;
      const merged: SecurityContext = { ...pod.spec.securityContext, ...container.securityContext };
      if (merged.runAsNonRoot !== true) violations.push(`${at}: runAsNonRoot is not true`);
      if (merged.runAsUser === undefined || merged.runAsUser === 0)
        violations.push(`${at}: runs as uid 0 or unset`);
      if (container.securityContext?.allowPrivilegeEscalation !== false) {
        violations.push(`${at}: allowPrivilegeEscalation is not false`);
      }
      if (container.securityContext?.readOnlyRootFilesystem !== true)
        violations.push(`${at}: root filesystem is writable`);
      if (!container.securityContext?.capabilities?.drop?.includes('ALL'))
        violations.push(`${at}: does not drop ALL`);
      const { requests = {}, limits = {} } = container.resources ?? {};
      if (!requests.cpu || !requests.memory) violations.push(`${at}: no CPU and memory requests`);
      if (!limits.memory) violations.push(`${at}: no memory limit`);
      if (!isHelmTest(object) && (!container.livenessProbe || !container.readinessProbe)) {
        violations.push(`${at}: no liveness and readiness probes`);
      }
      if (!pinnedImage(container.image)) violations.push(`${at}: image ${container.image} is not pinned`);
    }
  }
  const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    const labels = podOf(deployment)?.labels ?? {};
    const covered = budgets.some((pdb) => {
      const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector
        .matchLabels;
      return Object.entries(selector).every(([key, value]) => labels[key] === value);
    });
    if (!covered)
      violations.push(`Deployment/${deployment.metadata.name}: no PodDisruptionBudget selects its pods`);
  }
  return violations;
}
