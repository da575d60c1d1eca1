import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { currentLogFields } from './log-context.js';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, at the top level or one level down (`config.X`, `body.X`). */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'new_password',
  'current_password',
  'old_password',
  'passwordHash',
  'password_hash',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'secret',
  'api_key',
  'apiKey',
  'x-api-key',
  'private_key',
  'privateKey',
  'SERVICE_CLIENT_SECRET',
  'SERVICE_CLIENTS',
  'JWT_PRIVATE_KEYS',
  'ANTHROPIC_API_KEY',
  'KAFKA_PASSWORD',
  'CARTWHEEL_ADMIN_PASSWORD',
];

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/** pino redact paths: each secret key on its own, one level down, and in headers two levels down. */
export const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((name) => [key(name).replace(/^\./, ''), `*${key(name)}`]),
  ...['authorization', 'cookie', 'set-cookie', 'x-api-key'].map((name) => `*.headers${key(name)}`),
];

/**
 * Last line of defence for secrets inside free text (error messages, URLs, dumps) that no key
 * path can catch: JWTs, bearer/basic credentials, PEM private keys, passwords in URLs.
 */
const SCRUBBERS: Array<[RegExp, string]> = [
  [/eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
  [/\b(Bearer|Basic) +[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[redacted-private-key]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"]*:)[^\s@/"]+@/gi, '$1[redacted]@'],
];

/** Applies the free-text scrubbers to one serialised log line. */
export function scrubSecrets(line: string): string {
  let out = line;
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  return out;
}

/** Set on loggers made here; their children inherit it (pino children are prototype-linked). */
const KIT_LOGGER = Symbol.for('@cartwheel/kit.logger');

/**
 * True for loggers made by `createLogger` (and their children): their lines carry the current
 * request id and event id by themselves, so callers need not bind them.
 */
export function isKitLogger(logger: Logger): boolean {
  return (logger as unknown as Record<symbol, unknown>)[KIT_LOGGER] === true;
}

/**
 * JSON logger for one service. Every line carries `service`, `level`, and — when written inside
 * a request, an event delivery or a span — `request_id`, `event_id`, `trace_id` and `span_id`,
 * so Loki lines link to Tempo traces. Secrets are redacted by key (authorization headers,
 * cookies, passwords, tokens, client secrets, API keys, the service's secret settings in a config
 * dump) and by shape in free text (JWTs, bearer credentials, PEM private keys, URL passwords).
 *
 * @example const log = createLogger({ service: 'order', level: 'info' });
 */
export function createLogger(options: {
  /** Omit only for a root whose children each bind their own `service` (the platform runner). */
  service?: string;
  level?: string;
  destination?: pino.DestinationStream;
}): Logger {
  const config: LoggerOptions = {
    level: options.level ?? 'info',
    base: options.service ? { service: options.service } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'message',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: scrubSecrets },
    // Always a fresh object: pino merges each line's fields into what the mixin returns.
    mixin() {
      const fields = { ...currentLogFields() };
      const spanContext = trace.getSpan(context.active())?.spanContext();
      if (!spanContext || !isSpanContextValid(spanContext)) return fields;
      return { ...fields, trace_id: spanContext.traceId, span_id: spanContext.spanId };
    },
  };
  const logger = options.destination ? pino(config, options.destination) : pino(config);
  Object.defineProperty(logger, KIT_LOGGER, { value: true });
  return logger;
}
