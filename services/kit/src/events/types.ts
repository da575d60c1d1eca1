/**
 * A CloudEvents 1.0 event in JSON structured mode (DESIGN §7). `subject` is the aggregate id and
 * doubles as the Kafka key, so one aggregate's events stay in order.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** Where and how a delivered event arrived. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  /** Transport headers (W3C `traceparent`, `tracestate`, DLQ reasons). */
  headers: Record<string, string>;
  /** 1 on first delivery to the handler, 2 on the first retry, … */
  attempt: number;
}

export type EventHandler = (event: CloudEvent, delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /** Consumer group: every group receives every event; members of one group share partitions. */
  groupId: string;
  topics: string[];
  handler: EventHandler;
  /**
   * Retries after the first failure before the event is parked in `<topic>.dlq` (default 3).
   * A failure because a dependency is down (`isTransientError`) is retried until it is back.
   */
  maxRetries?: number;
  /** First retry delay; doubles each retry (default 100 ms). */
  retryBackoffMs?: number;
  /** A new group starts at the earliest offset (default true). */
  fromBeginning?: boolean;
}

export interface Subscription {
  /** Finishes the event in hand, commits, and leaves the group. */
  stop(): Promise<void>;
}

/**
 * The one event transport interface, implemented by Kafka (kafkajs) and by the embedded
 * in-process bus; both pass the same contract suite. Delivery is at-least-once.
 */
export interface EventBus {
  /** Resolves only once the transport has acknowledged every event (Kafka: acks=all). */
  publish(topic: string, events: CloudEvent[], headers?: Record<string, string>): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Creates topics (and nothing else) if they do not exist. */
  ensureTopics(topics: string[]): Promise<void>;
  /** Throws when the transport cannot be reached (used by `/ready`). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The dead-letter topic for `topic`. */
export const dlqTopic = (topic: string): string => `${topic}.dlq`;
