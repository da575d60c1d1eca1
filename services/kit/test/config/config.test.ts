import { expect } from 'chai';
import { z } from 'zod';
import { commonConfig, ConfigError, flag, list, loadConfig, optionalUrl, port } from '../../src/index.js';

const schema = commonConfig.extend({
  PORT: port(8081),
  DATABASE_URL: optionalUrl('postgres', 'postgresql'),
  DEMO: flag(true),
  ADMINS: list(),
  SECRET: z.string().min(8),
});

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig(schema, { SECRET: 'long-enough', ADMINS: 'a@x.io, b@x.io,' });
    expect(config).to.include({ PORT: 8081, DEMO: true, LOG_LEVEL: 'info', CARTWHEEL_DATA_DIR: '.data' });
    expect(config.ADMINS).to.deep.equal(['a@x.io', 'b@x.io']);
    expect(config.DATABASE_URL).to.equal(undefined);
  });

  it('when several variables are bad, then reports every one of them by name', () => {
    const env = { PORT: 'eighty', DATABASE_URL: 'mysql://x/y', DEMO: 'maybe', LOG_LEVEL: 'loud' };
    let error: unknown;
    try {
      loadConfig(schema, env);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'DEMO', 'LOG_LEVEL', 'SECRET'])
      expect(message).to.include(name);
    expect(message).to.include('SECRET is required');
  });

  it('reads false-ish flags as false and treats an empty URL as unset', () => {
    const config = loadConfig(schema, { SECRET: 'long-enough', DEMO: 'FALSE', DATABASE_URL: '' });
    expect(config.DEMO).to.equal(false);
    expect(config.DATABASE_URL).to.equal(undefined);
  });
});
