import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { currentServiceScope } from '../telemetry/service-scope.js';
import { failSpan, tracerFor, tracingEnabled } from '../telemetry/tracing.js';

interface QueryEvent {
  sql?: string;
  __knexQueryUid?: string;
}

const OPERATION = /^\s*(\w+)/;
const TARGET = /\b(?:from|into|update)\s+"?([\w.]+)"?/i;

/** `SELECT orders`, `INSERT outbox`, … (operation and first table, never values). */
function spanName(sql: string): string {
  const operation = (OPERATION.exec(sql)?.[1] ?? 'query').toUpperCase();
  const target = TARGET.exec(sql)?.[1];
  return target ? `${operation} ${target}` : operation;
}

/**
 * One client span per query on `db` (PostgreSQL server and PGlite alike, transactions
 * included), child of the span active where the query was issued; queries outside any trace
 * make none. Built on knex's
 * `query`/`query-response`/`query-error` events rather than the pg instrumentation, which sees
 * neither PGlite nor ESM-imported pg. The statement text is recorded with its placeholders,
 * never the bound values. Costs nothing while tracing is off.
 *
 * @param db the knex instance to watch.
 * @param service the service the queries belong to (default: the current service scope's).
 */
export function traceQueries(db: Knex, service?: string): void {
  const open = new Map<string, Span>();
  db.on('query', (query: QueryEvent) => {
    // BEGIN/COMMIT carry no uid and no response event: they are part of the statements' spans.
    if (!tracingEnabled() || !query.__knexQueryUid || !query.sql) return;
    // Outside any trace (pollers: the outbox relay, sweepers) a query would be a trace of its own
    // every few hundred milliseconds; only queries on behalf of a request or event are worth one.
    if (!trace.getSpan(context.active())) return;
    const span = tracerFor(service ?? currentServiceScope()?.service).startSpan(
      spanName(query.sql),
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.query.text': query.sql.slice(0, 2000) },
      },
      context.active(),
    );
    open.set(query.__knexQueryUid, span);
  });
  const finish = (query: QueryEvent, error?: unknown) => {
    const span = query.__knexQueryUid ? open.get(query.__knexQueryUid) : undefined;
    if (!span) return;
    open.delete(query.__knexQueryUid as string);
    if (error !== undefined) failSpan(span, error);
    span.end();
  };
  db.on('query-response', (_response: unknown, query: QueryEvent) => finish(query));
  db.on('query-error', (error: unknown, query: QueryEvent) => finish(query, error));
}
