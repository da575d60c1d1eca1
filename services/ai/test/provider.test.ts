// The Anthropic adapter alone: the real SDK against the fake Messages API.
import { Writable } from 'node:stream';
import { createLogger } from '@cartwheel/kit';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { createAiMetrics, createAnthropicModel, type AiMetrics, type AnthropicModel } from '../src/index.js';
import { ModelFailure, type ModelRequest } from '../src/domain/model.js';
import {
  answer,
  hang,
  startFakeAnthropic,
  status,
  text,
  type FakeAnthropic,
} from './support/fake-anthropic.js';

const KEY = 'sk-ant-test-secret-key-0123456789';
const request: ModelRequest = {
  system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: 'hello' }],
};

async function failureOf(promise: Promise<unknown>): Promise<ModelFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ModelFailure);
    return error as ModelFailure;
  }
  throw new Error('expected a ModelFailure');
}

describe('createAnthropicModel', function () {
  this.timeout(20_000);
  let fake: FakeAnthropic;
  let model: AnthropicModel;
  let metrics: AiMetrics;
  const lines: string[] = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    const logger = createLogger({
      service: 'ai-test',
      level: 'trace',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    metrics = createAiMetrics(new Registry(), logger);
    model = createAnthropicModel(
      {
        apiKey: KEY,
        baseUrl: fake.url,
        model: 'claude-test',
        maxTokens: 100,
        breaker: { volumeThreshold: 2 },
      },
      metrics,
      logger,
    );
  });
  afterEach(async () => {
    model.close();
    await fake.close();
  });

  it('when the provider answers, then the reply keeps its text and tool calls and the request carries the settings', async () => {
    fake.script(answer(text('Hi!')));

    const reply = await model.complete(request, Date.now() + 5_000);

    expect(reply).to.deep.equal({ content: [{ type: 'text', text: 'Hi!' }], stopReason: 'end_turn' });
    expect(fake.requests[0].body).to.deep.include({
      model: 'claude-test',
      max_tokens: 100,
      system: request.system,
    });
    expect(fake.requests[0].headers['x-stainless-retry-count']).to.equal('0');
  });

  it('when the time budget is already spent, then it fails with timeout without calling the provider', async () => {
    const failure = await failureOf(model.complete(request, Date.now() - 1));

    expect(failure.reason).to.equal('timeout');
    expect(fake.requests).to.have.length(0);
  });

  it('when the provider fails, hangs, then the breaker opens, then the reasons say so, no retry is made and no log line holds the key', async () => {
    fake.script(status(500), hang);

    const failed = await failureOf(model.complete(request, Date.now() + 5_000));
    const timedOut = await failureOf(model.complete(request, Date.now() + 300));
    const refused = await failureOf(model.complete(request, Date.now() + 5_000));

    expect([failed.reason, timedOut.reason, refused.reason]).to.deep.equal([
      'provider_error',
      'timeout',
      'breaker_open',
    ]);
    expect(fake.requests).to.have.length(2);
    expect(model.breakerState()).to.equal('open');
    // The fallback logs each failure with its cause (the SDK's error, response headers and all).
    for (const failure of [failed, timedOut, refused]) metrics.fellBack('chat', failure.reason, failure);
    const logged = lines.join('');
    expect(logged).to.contain('circuit breaker opened').and.to.contain('scripted failure');
    expect(logged).not.to.contain(KEY);
  });
});
