// Events published = events consumed, read from the outbox tables, Kafka's offsets per consumer
// group, the DLQs and inventory's processed_events.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { DatabaseService } from './cluster.js';
import { kafkaAdmin, num, type Inspector } from './invariants.js';

export interface TopicFigures {
  topic: string;
  /** Events that reached the topic since the baseline (sum of the partitions' high watermarks). */
  inKafka: number;
  /** Rows of the producing service's outbox for this topic, and how many are marked published. */
  outbox?: { service: DatabaseService; rows: number; published: number };
  /**
   * In Kafka more than once (at-least-once: a relay that published but could not mark the rows,
   * e.g. its database went away, publishes them again). Consumers dedupe by event id.
   */
  duplicates?: number;
}

export interface GroupFigures {
  group: string;
  topic: string;
  /** Sum over partitions of the committed offset (what the group has consumed). */
  consumed: number;
  inKafka: number;
  lag: number;
}

export interface EventCheck {
  held: boolean;
  /** Something is parked in a DLQ: waiting longer cannot make the check hold. */
  final: boolean;
  topics: TopicFigures[];
  groups: GroupFigures[];
  /** Events parked in `<topic>.dlq` topics since the baseline (should be none). */
  deadLettered: Record<string, number>;
  /** Rows of processed_events in inventory's database (its idempotent consumer: one per event id). */
  inventoryApplied: number;
  /** What inventory should have applied: the run's product events + order.placed/cancelled in the order outbox. */
  inventoryExpected: number;
  problems: string[];
}

/** Per topic, the sum of its partitions' high watermarks: where a run starts counting from. */
export type TopicBaseline = Map<string, number>;

async function topicEnds(admin: Admin, topic: string): Promise<Map<number, { low: number; high: number }>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, { low: num(o.low), high: num(o.high) }]));
}

const sumHigh = (ends: Map<number, { high: number }>): number =>
  [...ends.values()].reduce((sum, end) => sum + end.high, 0);

/** Which group reads which topic (DESIGN §3: group = service name). */
export const CONSUMES: Record<string, string[]> = {
  product: ['inventory'],
  inventory: ['products', 'orders'],
  notification: ['users', 'orders', 'inventory', 'ai-notifications'],
  ai: ['orders'],
};

async function groupFigures(admin: Admin, ends: Map<string, Map<number, { low: number; high: number }>>) {
  const figures: GroupFigures[] = [];
  for (const [groupId, expected] of Object.entries(CONSUMES)) {
    const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
    for (const { topic, partitions } of committed) {
      const topicEnd = ends.get(topic);
      // A topic the group has never committed on counts only when the group is meant to read it.
      if (!topicEnd || (!expected.includes(topic) && partitions.every((p) => num(p.offset) < 0))) continue;
      let consumed = 0;
      let lag = 0;
      for (const [partition, end] of topicEnd) {
        const offset = num(partitions.find((p) => p.partition === partition)?.offset ?? -1);
        consumed += Math.max(offset, 0);
        lag += end.high - (offset >= 0 ? offset : end.low);
      }
      figures.push({ group: groupId, topic, consumed, inKafka: sumHigh(topicEnd), lag });
    }
  }
  return figures;
}

/** The producing service of each topic that comes from a PostgreSQL outbox. */
const OUTBOX_OF: Record<string, DatabaseService> = { users: 'user', inventory: 'inventory', orders: 'order' };
export const PLATFORM_TOPICS = ['users', 'products', 'inventory', 'orders', 'ai-notifications'];

/**
 * The platform topics and their DLQs as they are now; `checkEvents` counts from here. Take it
 * before the platform starts (the user service publishes the admin's user.created at start).
 */
export async function topicBaseline(brokers: string[]): Promise<TopicBaseline> {
  const admin = kafkaAdmin(brokers);
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const wanted = existing.filter((t) => PLATFORM_TOPICS.includes(t) || t.endsWith('.dlq'));
    return new Map(
      await Promise.all(wanted.map(async (t) => [t, sumHigh(await topicEnds(admin, t))] as const)),
    );
  } finally {
    await admin.disconnect();
  }
}

async function outboxFigures(inspector: Inspector, service: DatabaseService, topic: string) {
  const db = inspector.db[service];
  const [row] = (await db('outbox')
    .where({ topic })
    .select(db.raw('count(*) as rows, count(published_at) as published'))) as Array<{
    rows: string;
    published: string;
  }>;
  return { service, rows: num(row.rows), published: num(row.published) };
}

/**
 * Events published = events consumed: every outbox row published and in Kafka (at least once),
 * every consumer group's committed offsets at the end of every topic it reads (lag 0), nothing
 * new in a DLQ, and inventory's idempotent consumer applied each event it acts on exactly once.
 * `productEvents`: product events this run caused (the catalog has no PostgreSQL outbox to count).
 */
export async function checkEvents(
  inspector: Inspector,
  productEvents: number,
  baseline: TopicBaseline = new Map(),
): Promise<EventCheck> {
  const { kafka } = inspector;
  const existing = new Set(await kafka.listTopics());
  const ends = new Map<string, Map<number, { low: number; high: number }>>();
  for (const topic of PLATFORM_TOPICS.filter((t) => existing.has(t)))
    ends.set(topic, await topicEnds(kafka, topic));
  const problems: string[] = [];
  const topics: TopicFigures[] = [];
  for (const [topic, topicEnd] of ends) {
    const figures: TopicFigures = { topic, inKafka: sumHigh(topicEnd) - (baseline.get(topic) ?? 0) };
    const service = OUTBOX_OF[topic];
    if (service) {
      const outbox = await outboxFigures(inspector, service, topic);
      figures.outbox = outbox;
      figures.duplicates = figures.inKafka - outbox.published;
      if (outbox.published !== outbox.rows)
        problems.push(`${topic}: ${outbox.rows - outbox.published} outbox rows unpublished`);
      if (figures.duplicates < 0)
        problems.push(
          `${topic}: ${outbox.published} marked published by the outbox, only ${figures.inKafka} in Kafka`,
        );
    }
    topics.push(figures);
  }
  const groups = await groupFigures(kafka, ends);
  for (const g of groups.filter((g) => g.lag !== 0))
    problems.push(`group ${g.group} is ${g.lag} behind on ${g.topic}`);
  const deadLettered: Record<string, number> = {};
  for (const topic of [...existing].filter((t) => t.endsWith('.dlq'))) {
    const count = sumHigh(await topicEnds(kafka, topic)) - (baseline.get(topic) ?? 0);
    if (count > 0) {
      deadLettered[topic] = count;
      problems.push(`${count} events parked in ${topic}`);
    }
  }
  const [applied] = (await inspector.db.inventory('processed_events').count({ n: '*' })) as Array<{
    n: string;
  }>;
  const [orderEvents] = (await inspector.db
    .order('outbox')
    .whereRaw(`event->>'type' in ('order.placed', 'order.cancelled')`)
    .count({ n: '*' })) as Array<{ n: string }>;
  const inventoryApplied = num(applied.n);
  const inventoryExpected = productEvents + num(orderEvents.n);
  if (inventoryApplied !== inventoryExpected)
    problems.push(`inventory applied ${inventoryApplied} events, expected ${inventoryExpected}`);
  return {
    held: problems.length === 0,
    final: Object.keys(deadLettered).length > 0,
    topics,
    groups,
    deadLettered,
    inventoryApplied,
    inventoryExpected,
    problems,
  };
}

/**
 * The last `count` events parked in `topic` (a DLQ), as one line each: the group that gave up,
 * why, after how many attempts, and which event. Read with a throw-away consumer group.
 */
export async function describeDeadLetters(
  brokers: string[],
  topic: string,
  count: number,
): Promise<string[]> {
  const kafka = new Kafka({ brokers, clientId: 'bench-dlq-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-dlq-reader-${Date.now()}` });
  const seen: Array<{ at: number; line: string }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const admin = kafka.admin();
    await admin.connect();
    const total = sumHigh(await topicEnds(admin, topic));
    await admin.disconnect();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 15_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const header = (name: string) => message.headers?.[name]?.toString() ?? '?';
          let event: { type?: string; subject?: string; id?: string } = {};
          try {
            event = JSON.parse(message.value?.toString() ?? '{}') as typeof event;
          } catch {
            // not an envelope: the headers still say why it was parked
          }
          seen.push({
            at: Number(message.timestamp),
            line:
              `${event.type ?? '?'} ${event.subject ?? '?'} (id ${event.id ?? '?'}) parked by group ` +
              `${header('x-dlq-consumer-group')} after ${header('x-dlq-attempts')} attempts: ${header('x-dlq-reason')}`,
          });
          if (seen.length >= total) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen
    .sort((a, b) => a.at - b.at)
    .slice(-count)
    .map((entry) => entry.line);
}

/** Adds the parked events (up to 5 per DLQ) to the check's problems, so the report names them. */
export async function explainDeadLetters(brokers: string[], events: EventCheck): Promise<void> {
  for (const [topic, count] of Object.entries(events.deadLettered)) {
    const parked = await describeDeadLetters(brokers, topic, Math.min(count, 5));
    events.problems.push(...parked.map((line) => `in ${topic}: ${line}`));
  }
}
