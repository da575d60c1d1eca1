// Test helpers that look at what really reached the broker, independently of the bus under test.
import { Kafka, logLevel } from 'kafkajs';
import type { CloudEvent } from '../../src/events/types.js';

export interface ReadMessage {
  key: string;
  partition: number;
  offset: number;
  event: CloudEvent<{ seq: number }>;
  headers: Record<string, string>;
}

const kafkaFor = (brokers: string[]) =>
  new Kafka({ clientId: 'outbox-test-reader', brokers, logLevel: logLevel.NOTHING });

/** How many records the topic holds (sum of its partitions' high watermarks): duplicates count. */
export async function countRecords(brokers: string[], topic: string): Promise<number> {
  const admin = kafkaFor(brokers).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Reads the whole topic from the beginning: waits until `expected` records arrived. */
export async function readTopic(brokers: string[], topic: string, expected: number): Promise<ReadMessage[]> {
  const consumer = kafkaFor(brokers).consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 200 });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${messages.length} of ${expected} records of ${topic}`)),
        20_000,
      );
      if (expected === 0) resolve();
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
            messages.push({
              key: message.key?.toString() ?? '',
              partition,
              offset: Number(message.offset),
              event: JSON.parse(message.value?.toString() ?? 'null') as ReadMessage['event'],
              headers,
            });
            if (messages.length >= expected) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** The `seq` of each key's events, in the order the topic holds them (one key lives in one partition). */
export function sequencesByKey(messages: ReadMessage[]): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  const ordered = [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  for (const message of ordered)
    byKey.set(message.key, [...(byKey.get(message.key) ?? []), message.event.data.seq]);
  return byKey;
}
