import { AppError } from '@cartwheel/kit';
import { Counter, type Registry } from 'prom-client';

/**
 * The user service's series: `user_logins_total{result}` (ok, failed — wrong credentials or a
 * disabled account —, locked — refused by the brute-force limits) and
 * `user_registrations_total`. No labels beyond the result: never emails or ids.
 */
export interface UserMetrics {
  logins: Counter<'result'>;
  registrations: Counter;
}

export function createUserMetrics(registry: Registry): UserMetrics {
  return {
    logins: new Counter({
      name: 'user_logins_total',
      help: 'Password logins by result: ok, failed (wrong credentials or disabled account), locked (too many failures)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    registrations: new Counter({
      name: 'user_registrations_total',
      help: 'Accounts registered',
      registers: [registry],
    }),
  };
}

/** Counts one login attempt by how it ended, then passes the outcome on. */
export async function countingLogin<T>(metrics: UserMetrics, login: () => Promise<T>): Promise<T> {
  try {
    const tokens = await login();
    metrics.logins.inc({ result: 'ok' });
    return tokens;
  } catch (error) {
    const locked = error instanceof AppError && error.code === 'too_many_attempts';
    metrics.logins.inc({ result: locked ? 'locked' : 'failed' });
    throw error;
  }
}
