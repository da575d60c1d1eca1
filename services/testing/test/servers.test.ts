import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { createDatabase, testServers, uniqueName } from '../src/index.js';

describe('test servers', () => {
  it('PostgreSQL answers with a real server version, and each suite gets its own database', async () => {
    const [a, b] = [await createDatabase('probe'), await createDatabase('probe')];
    expect(a).to.not.equal(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string; db: string }>(
        'select current_setting($1) as v, current_database() as db',
        ['server_version_num'],
      );
      expect(Number(rows[0].v)).to.be.at.least(150000);
      expect(a.endsWith(`/${rows[0].db}`)).to.equal(true);
    } finally {
      await client.end();
    }
  });

  it('Redis stores and expires a key', async () => {
    const redis = new Redis(testServers().redisUrl);
    try {
      const key = uniqueName('probe');
      expect(await redis.set(key, 'v', 'PX', 50_000, 'NX')).to.equal('OK');
      expect(await redis.set(key, 'w', 'PX', 50_000, 'NX')).to.equal(null);
      expect(await redis.pttl(key)).to.be.within(1, 50_000);
    } finally {
      redis.disconnect();
    }
  });

  it('FerretDB speaks the MongoDB wire protocol: insert, filter and count', async () => {
    const client = new MongoClient(testServers().mongoUrl);
    try {
      const items = client.db(uniqueName('probe')).collection<{ n: number }>('items');
      await items.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(await items.countDocuments({ n: { $gte: 2 } })).to.equal(2);
    } finally {
      await client.close();
    }
  });

  it('Kafka is a 4.x broker in KRaft mode that kafkajs can administer', async () => {
    const admin = new Kafka({ brokers: testServers().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const topic = uniqueName('probe');
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions).to.have.length(2);
      const cluster = await admin.describeCluster();
      expect(cluster.controller).to.equal(1);
    } finally {
      await admin.disconnect();
    }
  });
});
