import { testServers } from '@cartwheel/testing';
import { createKafkaBus } from '../../src/events/index.js';
import { eventBusContract } from './event-bus.contract.js';

eventBusContract('kafka', () =>
  createKafkaBus({
    brokers: testServers().kafkaBrokers,
    clientId: 'kit-contract',
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 6000,
    maxWaitTimeInMs: 200,
  }),
);
