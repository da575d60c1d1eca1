export {
  createHttpClient,
  type BreakerOptions,
  type BreakerState,
  type HttpClient,
  type HttpClientOptions,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
} from './http-client.js';
export { IDEMPOTENT_METHODS, RETRYABLE_STATUSES, backoffDelay, isIdempotent } from './retry-policy.js';
export { UpstreamStatusError } from './upstream-errors.js';
export { createClientCredentialsTokens, type ClientCredentialsOptions } from './client-credentials.js';
