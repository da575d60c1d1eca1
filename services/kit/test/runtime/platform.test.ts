import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { createDatabase, eventually, testServers, uniqueName } from '@cartwheel/testing';
import { createLogger, startPlatform, type RunningPlatform } from '../../src/index.js';
import { fixtureServices } from './fixture-services.js';

const logger = createLogger({ level: 'silent' });

const addNote = (platform: RunningPlatform, text: string) =>
  fetch(`${platform.services[0].url}/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });

/** Adds a note through the `notes` service and waits for `tally` to receive its event. */
async function addNoteAndTally(platform: RunningPlatform, tallied: string[], text: string): Promise<void> {
  const res = await addNote(platform, text);
  expect(res.status).to.equal(201);
  const { id } = (await res.json()) as { id: number };
  await eventually('the tally to see the event', () => tallied.includes(String(id)));
}

describe('startPlatform', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-platform-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when nothing is configured, then every service runs embedded and answers /health and /ready', async () => {
    const { services } = fixtureServices(uniqueName('notes'));
    const platform = await startPlatform({ services, env: { CARTWHEEL_DATA_DIR: dataDir }, logger });
    try {
      expect(platform.mode).to.equal('embedded');
      for (const service of platform.services) {
        expect((await fetch(`${service.url}/health`)).status, `${service.name} /health`).to.equal(200);
        expect((await fetch(`${service.url}/ready`)).status, `${service.name} /ready`).to.equal(200);
      }
    } finally {
      await platform.stop();
    }
  });

  it('when a service publishes an event, then another service receives it over the shared embedded bus', async () => {
    const { services, tallied } = fixtureServices(uniqueName('notes'));
    const platform = await startPlatform({ services, env: { CARTWHEEL_DATA_DIR: dataDir }, logger });
    try {
      await addNoteAndTally(platform, tallied, 'hello');
    } finally {
      await platform.stop();
    }
  });

  it('when services share the platform’s bus, then each one’s /metrics shows its own side: the publisher’s events_published_total, the consumer’s events_consumed_total', async () => {
    const topic = uniqueName('notes');
    const { services, tallied } = fixtureServices(topic);
    const platform = await startPlatform({ services, env: { CARTWHEEL_DATA_DIR: dataDir }, logger });
    try {
      await addNoteAndTally(platform, tallied, 'counted');

      const [notes, tally] = await Promise.all(
        platform.services.map(async (s) => (await fetch(`${s.url}/metrics`)).text()),
      );
      const series = (name: string) => new RegExp(`^${name}\\{[^}]*topic="${topic}"[^}]*\\} 1$`, 'm');
      expect(notes).to.match(series('events_published_total')).and.to.include('service="notes"');
      expect(notes).to.not.match(series('events_consumed_total'));
      expect(tally).to.match(series('events_consumed_total')).and.to.include(`group="tally-${topic}"`);
      expect(tally).to.not.match(series('events_published_total'));
    } finally {
      await platform.stop();
    }
  });

  it('when the platform restarts on the same data directory, then embedded data is still there', async () => {
    const first = await startPlatform({
      services: fixtureServices(uniqueName('n')).services,
      env: { CARTWHEEL_DATA_DIR: dataDir },
      logger,
    });
    expect((await addNote(first, 'kept')).status).to.equal(201);
    await first.stop();

    const second = await startPlatform({
      services: fixtureServices(uniqueName('n')).services,
      env: { CARTWHEEL_DATA_DIR: dataDir },
      logger,
    });
    try {
      const notes = (await (await fetch(`${second.services[0].url}/notes`)).json()) as { text: string }[];
      expect(notes.map((n) => n.text)).to.deep.equal(['kept']);
    } finally {
      await second.stop();
    }
  });

  it('when a database URL and Kafka brokers are set, then services use those servers instead', async () => {
    const databaseUrl = await createDatabase('platform');
    const topic = uniqueName('notes');
    const { services, tallied } = fixtureServices(topic);
    const env = {
      CARTWHEEL_DATA_DIR: dataDir,
      NOTES_DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: testServers().kafkaBrokers.join(','),
    };
    const platform = await startPlatform({ services, env, logger });
    try {
      expect(platform.mode).to.equal('connected');
      const { id } = (await (await addNote(platform, 'on the server')).json()) as { id: number };
      await eventually('the event to come back through Kafka', () => tallied.includes(String(id)), 30_000);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query('select text from notes');
      await client.end();
      expect(rows).to.deep.equal([{ text: 'on the server' }]);
    } finally {
      await platform.stop();
    }
  });

  it('when a port variable is malformed, then start fails naming it', async () => {
    const { services } = fixtureServices(uniqueName('notes'));
    let message = '';
    await startPlatform({ services, env: { CARTWHEEL_DATA_DIR: dataDir, NOTES_PORT: 'abc' }, logger }).catch(
      (e: Error) => (message = e.message),
    );
    expect(message).to.equal('NOTES_PORT must be a port number, got "abc"');
  });

  it('when a service starts, then the ones after it find it through <NAME>_URL and share one service client secret', async () => {
    const { services } = fixtureServices(uniqueName('notes'));
    let seen: string | undefined;
    let secret: string | undefined;
    const probe = {
      name: 'probe',
      defaultPort: 0,
      start: async (runtime: { env: NodeJS.ProcessEnv }) => {
        seen = runtime.env.NOTES_URL;
        secret = runtime.env.SERVICE_CLIENT_SECRET;
        return { name: 'probe', url: 'http://127.0.0.1:1', stop: async () => {} };
      },
    };
    const platform = await startPlatform({
      services: [...services, probe],
      env: { CARTWHEEL_DATA_DIR: dataDir },
      logger,
    });
    try {
      expect(seen).to.equal(platform.services[0].url);
      expect(secret, 'a generated service client secret').to.match(/^[\w-]{32}$/);
    } finally {
      await platform.stop();
    }
  });

  it('when services log under the platform, then each line names its service exactly once', async () => {
    const raw: string[] = [];
    const root = createLogger({
      level: 'info',
      destination: { write: (line: string) => void raw.push(line) },
    });
    const { services } = fixtureServices(uniqueName('notes'));
    const platform = await startPlatform({ services, env: { CARTWHEEL_DATA_DIR: dataDir }, logger: root });
    await addNote(platform, 'logged');
    await platform.stop();
    const serviceLines = raw.filter((line) => line.includes('"service"'));
    expect(serviceLines.length, 'lines from the services').to.be.greaterThan(0);
    for (const line of serviceLines) expect(line.match(/"service":/g), line).to.have.length(1);
    expect(serviceLines.map((line) => JSON.parse(line).service)).to.include('notes');
  });
});
