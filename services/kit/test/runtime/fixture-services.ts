import { z } from 'zod';
import {
  createApiRouter,
  createEvent,
  createServiceApp,
  databaseFor,
  listen,
  pingDatabase,
  type ServiceDefinition,
} from '../../src/index.js';

/**
 * Two tiny services that exercise what the platform provides: `notes` stores rows in its own
 * database and publishes `note.created`; `tally` counts those events it receives.
 */
export function fixtureServices(topic: string): { services: ServiceDefinition[]; tallied: string[] } {
  const tallied: string[] = [];
  const notes: ServiceDefinition = {
    name: 'notes',
    defaultPort: 0,
    async start(runtime, port) {
      const db = databaseFor(runtime, 'notes');
      if (!(await db.schema.hasTable('notes'))) {
        await db.schema.createTable('notes', (t) => {
          t.increments('id');
          t.text('text').notNullable();
        });
      }
      await runtime.bus.ensureTopics([topic]);
      const api = createApiRouter();
      api.route({
        method: 'post',
        path: '/notes',
        summary: 'Add a note',
        body: z.object({ text: z.string().min(1) }),
        status: 201,
        handler: async (_ctx, { body }) => {
          const [row] = await db('notes').insert({ text: body.text }).returning(['id', 'text']);
          await runtime.bus.publish(topic, [
            createEvent({ source: 'notes', type: 'note.created', subject: String(row.id), data: row }),
          ]);
          return row;
        },
      });
      api.route({
        method: 'get',
        path: '/notes',
        summary: 'List notes',
        handler: () => db('notes').select('id', 'text').orderBy('id'),
      });
      const { app } = createServiceApp({
        service: 'notes',
        logger: runtime.logger,
        routers: [api],
        readiness: [{ name: 'database', check: () => pingDatabase(db) }],
      });
      const server = await listen(app, port, '127.0.0.1');
      return {
        name: 'notes',
        url: server.url,
        stop: async () => {
          await server.close();
          await db.destroy();
        },
      };
    },
  };
  const tally: ServiceDefinition = {
    name: 'tally',
    defaultPort: 0,
    async start(runtime, port) {
      const subscription = await runtime.bus.subscribe({
        groupId: `tally-${topic}`,
        topics: [topic],
        handler: async (event) => void tallied.push(event.subject),
      });
      const { app } = createServiceApp({ service: 'tally', logger: runtime.logger });
      const server = await listen(app, port, '127.0.0.1');
      return {
        name: 'tally',
        url: server.url,
        stop: async () => {
          await server.close();
          await subscription.stop();
        },
      };
    },
  };
  return { services: [notes, tally], tallied };
}
