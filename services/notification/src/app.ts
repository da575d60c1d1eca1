import {
  createServiceApp,
  type EventBus,
  type Logger,
  type ReadinessCheck,
  type ServiceApp,
} from '@cartwheel/kit';
import type { Registry } from 'prom-client';
import type { Mailer } from './domain/ports.js';

export interface AppDeps {
  bus: EventBus;
  mailer: Mailer;
  logger: Logger;
  registry?: Registry;
}

/**
 * The notification service's HTTP app: no routes of its own, only the kit's `/health`,
 * `/ready` (event bus, plus the SMTP server when mail goes over SMTP) and `/metrics`.
 *
 * @example const { app, registry } = createApp({ bus, mailer, logger }); await listen(app, 0);
 */
export function createApp(deps: AppDeps): ServiceApp {
  const readiness: ReadinessCheck[] = [{ name: 'event bus', check: () => deps.bus.ping() }];
  if (deps.mailer.kind === 'smtp') readiness.push({ name: 'smtp', check: () => deps.mailer.verify() });
  return createServiceApp({
    service: 'notification',
    logger: deps.logger,
    readiness,
    registry: deps.registry,
  });
}
