import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export interface StoredRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Where the embedded bus keeps its logs and committed offsets; the in-memory one forgets on exit. */
export interface EmbeddedStore {
  /** Topics with their partition logs as they were when the process last stopped. */
  topics: Map<string, StoredRecord[][]>;
  /** Committed positions: group → topic → next offset per partition. */
  offsets: Map<string, Map<string, number[]>>;
  createTopic(name: string, partitions: number): void;
  /** Durable when it returns: publish acknowledges only after this. */
  append(topic: string, partition: number, record: StoredRecord): void;
  /** May be written lazily: a lagging offset only means redelivery, which consumers tolerate. */
  commit(groupId: string, topic: string, next: number[]): void;
  close(): void;
}

export function memoryStore(): EmbeddedStore {
  return {
    topics: new Map(),
    offsets: new Map(),
    createTopic: () => undefined,
    append: () => undefined,
    commit: () => undefined,
    close: () => undefined,
  };
}

const OFFSETS_FLUSH_MS = 200;

function readLog(file: string): StoredRecord[] {
  if (!existsSync(file)) return [];
  const records: StoredRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      records.push(JSON.parse(line) as StoredRecord);
    } catch {
      // A line torn by a crash mid-append was never acknowledged to a publisher.
      break;
    }
  }
  return records;
}

/**
 * Disk layout under `dir`: `topics/<topic>/meta.json` and one JSON-lines log per partition,
 * plus `offsets.json`. Appends are synchronous so an acknowledged publish survives a crash.
 */
export function fileStore(dir: string): EmbeddedStore {
  const topicsDir = path.join(dir, 'topics');
  const offsetsFile = path.join(dir, 'offsets.json');
  mkdirSync(topicsDir, { recursive: true });

  const topics = new Map<string, StoredRecord[][]>();
  for (const name of readdirSync(topicsDir)) {
    const metaFile = path.join(topicsDir, name, 'meta.json');
    if (!existsSync(metaFile)) continue;
    const { partitions } = JSON.parse(readFileSync(metaFile, 'utf8')) as { partitions: number };
    topics.set(
      name,
      Array.from({ length: partitions }, (_, p) => readLog(path.join(topicsDir, name, `${p}.jsonl`))),
    );
  }
  const offsets = new Map<string, Map<string, number[]>>();
  if (existsSync(offsetsFile)) {
    const saved = JSON.parse(readFileSync(offsetsFile, 'utf8')) as Record<string, Record<string, number[]>>;
    for (const [group, byTopic] of Object.entries(saved))
      offsets.set(group, new Map(Object.entries(byTopic)));
  }

  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const plain = Object.fromEntries(
      [...offsets].map(([group, byTopic]) => [group, Object.fromEntries(byTopic)]),
    );
    writeFileSync(`${offsetsFile}.tmp`, JSON.stringify(plain));
    renameSync(`${offsetsFile}.tmp`, offsetsFile);
  };

  return {
    topics,
    offsets,
    createTopic(name, partitions) {
      mkdirSync(path.join(topicsDir, name), { recursive: true });
      writeFileSync(path.join(topicsDir, name, 'meta.json'), JSON.stringify({ partitions }));
    },
    append(topic, partition, record) {
      appendFileSync(path.join(topicsDir, topic, `${partition}.jsonl`), `${JSON.stringify(record)}\n`);
    },
    commit(groupId, topic, next) {
      const byTopic = offsets.get(groupId) ?? new Map<string, number[]>();
      offsets.set(groupId, byTopic);
      byTopic.set(topic, [...next]);
      timer ??= setTimeout(flush, OFFSETS_FLUSH_MS);
    },
    close() {
      if (timer) flush();
    },
  };
}
