import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { createLogger, type Logger } from '../../src/logging/logger.js';
import { withLogFields } from '../../src/logging/log-context.js';

function captured(): { lines: () => Record<string, unknown>[]; text: () => string; logger: Logger } {
  const raw: string[] = [];
  const logger = createLogger({
    service: 'probe',
    level: 'trace',
    destination: { write: (line: string) => void raw.push(line) },
  });
  return {
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => raw.join(''),
    logger,
  };
}

const JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiI0MiIsInJvbGVzIjpbInVzZXIiXX0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWc';

describe('createLogger', () => {
  it('when a request, a login body and a config dump are logged, then every secret value is redacted and the rest kept', () => {
    const { logger, lines, text } = captured();
    logger.info(
      {
        req: {
          method: 'POST',
          headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=s3cr3t', accept: 'json' },
        },
        body: { username: 'a@example.com', password: 'hunter2-pass', refresh_token: 'rt-123456789' },
        config: {
          SERVICE_CLIENT_SECRET: 'svc-secret-value',
          JWT_PRIVATE_KEYS: 'pem-private-key-value',
          ANTHROPIC_API_KEY: 'sk-ant-value',
          KAFKA_PASSWORD: 'kafka-pass-value',
          LOG_LEVEL: 'info',
        },
        client_secret: 'top-level-client-secret',
        token: 'plain-token-value',
      },
      'dump',
    );

    for (const secret of [
      'abc.def.ghi',
      's3cr3t',
      'hunter2-pass',
      'rt-123456789',
      'svc-secret-value',
      'pem-private-key-value',
      'sk-ant-value',
      'kafka-pass-value',
      'top-level-client-secret',
      'plain-token-value',
    ]) {
      expect(text(), secret).to.not.include(secret);
    }
    const [line] = lines();
    expect(line.body).to.deep.equal({
      username: 'a@example.com',
      password: '[redacted]',
      refresh_token: '[redacted]',
    });
    expect((line.config as Record<string, unknown>).LOG_LEVEL).to.equal('info');
    expect((line.req as { headers: Record<string, unknown> }).headers).to.deep.equal({
      authorization: '[redacted]',
      cookie: '[redacted]',
      accept: 'json',
    });
  });

  it('when free text carries a JWT, bearer credentials, a PEM private key or a URL password, then each is scrubbed', () => {
    const { logger, text } = captured();
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const keyBody = pem.split('\n')[1];

    logger.error(
      { err: new Error(`token ${JWT} was refused`) },
      `upstream said Bearer ${JWT.slice(0, 30)}xyz`,
    );
    logger.warn({ detail: pem }, 'loaded key');
    logger.info(
      { url: 'postgres://cartwheel:db-pass-123@db:5432/order' },
      'connecting to redis://:redis-pass@cache:6379',
    );

    expect(text()).to.not.match(/eyJ[A-Za-z0-9_-]{6,}\./);
    expect(text()).to.not.include(keyBody).and.not.include('PRIVATE KEY');
    expect(text()).to.not.include('db-pass-123').and.not.include('redis-pass');
    expect(text()).to.include('[redacted-jwt]').and.include('postgres://cartwheel:[redacted]@db:5432/order');
  });

  it('when lines are written inside a request and an event delivery, then each carries its own request_id or event_id and nothing of the line before', async () => {
    const { logger, lines } = captured();
    const child = logger.child({ component: 'x' });

    await withLogFields({ request_id: 'req-1' }, async () => {
      child.info({ code: 'first_only', status: 401 }, 'first');
      child.info('second');
    });
    await withLogFields({ event_id: 'evt-9' }, async () => logger.info('handled'));
    logger.info('outside');

    expect(
      lines().map(({ request_id, event_id, code, message }) => ({ request_id, event_id, code, message })),
    ).to.deep.equal([
      { request_id: 'req-1', event_id: undefined, code: 'first_only', message: 'first' },
      { request_id: 'req-1', event_id: undefined, code: undefined, message: 'second' },
      { request_id: undefined, event_id: 'evt-9', code: undefined, message: 'handled' },
      { request_id: undefined, event_id: undefined, code: undefined, message: 'outside' },
    ]);
    expect(lines().every((line) => line.service === 'probe' && typeof line.level === 'string')).to.equal(
      true,
    );
  });
});
