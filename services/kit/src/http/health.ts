import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { AppError } from '../errors/app-error.js';
import { withTimeout } from '../lifecycle/timeout.js';
import { exposition } from './metrics-exposition.js';

/** A dependency `/ready` checks: resolves when it answers, throws when it does not. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/** Readiness state shared with graceful shutdown: once `draining`, `/ready` fails first. */
export interface ReadinessState {
  draining: boolean;
}

/** `/health` (process alive), `/ready` (every dependency answers) and `/metrics` (Prometheus). */
export function operationalRoutes(options: {
  service: string;
  checks: ReadinessCheck[];
  state: ReadinessState;
  registry: Registry;
  checkTimeoutMs?: number;
}): Router {
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok', service: options.service };
  });
  router.get('/ready', async (ctx) => {
    if (options.state.draining) {
      throw new AppError('not_ready', 503, 'Service Unavailable', {
        detail: `${options.service} is shutting down`,
        operational: true,
      });
    }
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), options.checkTimeoutMs ?? 2_000, name);
          return { name, ok: true, message: 'ok' };
        } catch (error) {
          return { name, ok: false, message: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const checks = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : r.message]));
    const failed = results.filter((r) => !r.ok).map((r) => r.name);
    if (failed.length > 0) {
      throw new AppError('not_ready', 503, 'Service Unavailable', {
        detail: `${options.service} is not ready: ${failed.join(', ')} unavailable`,
        extensions: { checks },
        operational: true,
      });
    }
    ctx.body = { status: 'ready', service: options.service, checks };
  });
  router.get('/metrics', async (ctx) => {
    const { contentType, body } = await exposition(options.registry, ctx.get('Accept'), {
      service: options.service,
    });
    ctx.type = contentType;
    ctx.body = body;
  });
  return router;
}
