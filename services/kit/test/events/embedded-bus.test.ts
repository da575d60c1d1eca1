import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddedBus, createEvent, type EventBus } from '../../src/events/index.js';
import { eventBusContract } from './event-bus.contract.js';
import { eventually } from '@cartwheel/testing';

eventBusContract('embedded', () => createEmbeddedBus());

describe('createEmbeddedBus with a dataDir', () => {
  let dataDir: string;
  before(() => (dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartwheel-bus-'))));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const consume = async (bus: EventBus, groupId: string, expected: number) => {
    const seen: number[] = [];
    const subscription = await bus.subscribe({
      groupId,
      topics: ['orders'],
      handler: async (e) => void seen.push((e.data as { i: number }).i),
    });
    await eventually(`${expected} events`, () => seen.length >= expected);
    await subscription.stop();
    return seen.sort((a, b) => a - b);
  };
  const events = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, n) =>
      createEvent({ source: 's', type: 't', subject: `k${n % 3}`, data: { i: from + n } }),
    );

  it('when the bus restarts on the same directory, then topics, events and committed offsets survive', async () => {
    const first = createEmbeddedBus({ dataDir });
    await first.ensureTopics(['orders']);
    await first.publish('orders', events(0, 10));
    expect(await consume(first, 'billing', 10)).to.deep.equal([...Array(10).keys()]);
    await first.publish('orders', events(10, 15));
    await first.close();

    const second = createEmbeddedBus({ dataDir });
    expect(await consume(second, 'billing', 5), 'billing resumes after its last commit').to.deep.equal([
      10, 11, 12, 13, 14,
    ]);
    expect(await consume(second, 'audit', 15), 'a new group reads the whole log').to.deep.equal([
      ...Array(15).keys(),
    ]);
    await second.close();
  });
});
