import { createEmbeddedBus } from '../../src/events/index.js';
import { eventBusContract } from './event-bus.contract.js';

eventBusContract('embedded', () => createEmbeddedBus());
