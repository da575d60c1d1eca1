import Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '@cartwheel/kit';
import CircuitBreaker from 'opossum';
import {
  ModelFailure,
  type LanguageModel,
  type ModelReply,
  type ModelRequest,
  type TextBlock,
  type ToolUseBlock,
} from '../domain/model.js';
import type { BreakerState, ProviderMetrics } from '../metrics.js';

/** The Messages API's public address, used when `ANTHROPIC_BASE_URL` is unset. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface ProviderBreakerOptions {
  /** Open when at least this share of calls in the window failed (default 50). */
  errorThresholdPercentage?: number;
  /** Calls needed in the window before the breaker may open (default 5). */
  volumeThreshold?: number;
  /** Stay open this long, then let one trial call through (default 30 s). */
  resetTimeoutMs?: number;
  /** Length of the statistics window (default 60 s). */
  rollingWindowMs?: number;
}

export interface AnthropicSettings {
  apiKey: string;
  /** Default `DEFAULT_BASE_URL` (the SDK is never left to read the environment itself). */
  baseUrl?: string;
  model: string;
  maxTokens: number;
  breaker?: ProviderBreakerOptions;
}

export interface AnthropicModel extends LanguageModel {
  breakerState(): BreakerState;
  /** Stops the breaker's timers. */
  close(): void;
}

type Params = Anthropic.MessageCreateParamsNonStreaming;

/** The SDK's own log lines, as ours (only its message: its extra arguments may hold request details). */
function sdkLogger(logger: Logger) {
  const line = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string) =>
    logger[level]({ component: 'anthropic-sdk' }, message);
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}

function toReply(message: Anthropic.Message): ModelReply {
  const content: Array<TextBlock | ToolUseBlock> = [];
  for (const block of message.content) {
    if (block.type === 'text') content.push({ type: 'text', text: block.text });
    else if (block.type === 'tool_use') {
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input });
    }
  }
  return { content, stopReason: message.stop_reason };
}

/**
 * The model behind the real `@anthropic-ai/sdk`: `maxRetries: 0` (a failed turn goes to the
 * fallback; retrying would only spend the time budget), each turn's timeout is what is left until
 * the answer's deadline, and an opossum circuit breaker stops calling a provider that keeps
 * failing. Span content capture stays off (prompts hold shoppers' words). Failures reject with a
 * `ModelFailure`: `timeout`, `breaker_open` or `provider_error`.
 *
 * @example const model = createAnthropicModel({ apiKey, model: 'claude-sonnet-5-5', maxTokens: 1024 }, metrics, logger);
 */
export function createAnthropicModel(
  settings: AnthropicSettings,
  metrics: ProviderMetrics,
  logger: Logger,
): AnthropicModel {
  const client = new Anthropic({
    apiKey: settings.apiKey,
    baseURL: settings.baseUrl ?? DEFAULT_BASE_URL,
    maxRetries: 0,
    openTelemetry: { traces: { contentMode: 'metadata_only' } },
    logLevel: 'warn',
    logger: sdkLogger(logger),
  });
  const breaker = new CircuitBreaker<[Params, number], Anthropic.Message>(
    (params, timeoutMs) => client.messages.create(params, { timeout: timeoutMs }),
    {
      name: 'anthropic',
      timeout: false, // the SDK's per-request timeout aborts the request itself
      errorThresholdPercentage: settings.breaker?.errorThresholdPercentage ?? 50,
      volumeThreshold: settings.breaker?.volumeThreshold ?? 5,
      resetTimeout: settings.breaker?.resetTimeoutMs ?? 30_000,
      rollingCountTimeout: settings.breaker?.rollingWindowMs ?? 60_000,
    },
  );
  breaker.on('open', () => logger.warn({ upstream: 'anthropic' }, 'circuit breaker opened'));
  breaker.on('close', () => logger.info({ upstream: 'anthropic' }, 'circuit breaker closed'));

  async function complete(request: ModelRequest, deadline: number): Promise<ModelReply> {
    const timeoutMs = deadline - Date.now();
    if (timeoutMs <= 0) throw new ModelFailure('timeout', 'the time budget for the model is spent');
    const params: Params = {
      model: settings.model,
      max_tokens: settings.maxTokens,
      system: request.system,
      messages: request.messages,
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
    };
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let message: Anthropic.Message;
    try {
      message = await breaker.fire(params, timeoutMs);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        throw new ModelFailure('breaker_open', 'the provider circuit breaker is open', { cause: error });
      }
      const timedOut = error instanceof Anthropic.APIConnectionTimeoutError;
      metrics.providerCall(timedOut ? 'timeout' : 'error', seconds());
      throw new ModelFailure(
        timedOut ? 'timeout' : 'provider_error',
        timedOut ? `the provider did not answer within ${timeoutMs} ms` : 'the provider call failed',
        { cause: error },
      );
    }
    metrics.providerCall('ok', seconds());
    const usage = message.usage;
    metrics.tokens('input', usage?.input_tokens ?? 0);
    metrics.tokens('output', usage?.output_tokens ?? 0);
    metrics.tokens('cache_read', usage?.cache_read_input_tokens ?? 0);
    metrics.tokens('cache_write', usage?.cache_creation_input_tokens ?? 0);
    return toReply(message);
  }

  return {
    complete,
    breakerState: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed'),
    close: () => breaker.shutdown(),
  };
}
