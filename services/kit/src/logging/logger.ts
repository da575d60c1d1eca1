import { context, trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON logger for one service. Every line carries `service`, and `trace_id`/`span_id` of the
 * active OpenTelemetry span when there is one, so Loki lines link to Tempo traces. Secrets in
 * common places (authorization headers, passwords, tokens) are redacted.
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
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.access_token',
        '*.refresh_token',
        '*.client_secret',
        'password',
      ],
      censor: '[redacted]',
    },
    mixin() {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
