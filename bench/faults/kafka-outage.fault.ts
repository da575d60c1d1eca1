// Stop Kafka for 30 s under a steady order load: orders keep being accepted (the outbox holds their
// events), and every event is delivered once the broker is back.
import type { FaultScenario } from './harness.js';

export const kafkaOutage: FaultScenario = {
  id: 'kafka-outage',
  title: 'stop Kafka for 30 s, start it again',
  holdSec: 30,
  settleSec: 120,
  inject: ({ servers }) => servers.kafka.stop(),
  restore: ({ servers }) => servers.kafka.start(),
  verify: (run) => {
    const during = run.byPhase.during;
    const total = Object.values(during).reduce((a, b) => a + b, 0);
    return [
      {
        ok: (during['201'] ?? 0) > 0,
        text: `orders kept being accepted while the broker was down: ${during['201'] ?? 0} of ${total} answers were 201`,
      },
    ];
  },
};
