import { ModelFailure, type FallbackReason, type LanguageModel } from './model.js';

/** Where an answer came from: the model, or the deterministic fallback. */
export type Source = 'model' | 'fallback';

/** The features, as metrics label them. */
export type Endpoint = 'chat' | 'recommendations' | 'suggest' | 'email';

/** Told about every answer and every fallback (metrics and logs). */
export interface AiObserver {
  answered(endpoint: Endpoint, source: Source): void;
  fellBack(endpoint: Endpoint, reason: FallbackReason, error?: unknown): void;
}

/** What a use case needs to try the model: none configured means fallback, always. */
export interface ModelAccess {
  /** Absent when no API key is configured: nothing is ever sent anywhere. */
  model?: LanguageModel;
  /** Budget of one answer for all its model turns (`AI_TIMEOUT_MS`). */
  timeoutMs: number;
  observer: AiObserver;
}

/**
 * Answers through the model when there is one, and through `viaFallback` when there is none or
 * the model path fails with a `ModelFailure` (timeout, provider error, open breaker, unusable
 * output). Other errors (the catalog being down) propagate: the fallback needs the catalog too.
 */
export async function withFallback<T extends object>(
  endpoint: Endpoint,
  access: ModelAccess,
  viaModel: (model: LanguageModel, deadline: number) => Promise<T>,
  viaFallback: () => Promise<T>,
): Promise<T & { source: Source }> {
  const fallback = async (reason: FallbackReason, error?: unknown) => {
    access.observer.fellBack(endpoint, reason, error);
    const answer = await viaFallback();
    access.observer.answered(endpoint, 'fallback');
    return { ...answer, source: 'fallback' as const };
  };
  if (!access.model) return fallback('no_key');
  try {
    const answer = await viaModel(access.model, Date.now() + access.timeoutMs);
    access.observer.answered(endpoint, 'model');
    return { ...answer, source: 'model' as const };
  } catch (error) {
    if (error instanceof ModelFailure) return fallback(error.reason, error);
    throw error;
  }
}
