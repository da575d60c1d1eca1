/** A JSON response as tests read it. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON documents
  body: any;
}

/** Sends `body` as JSON with `token` as bearer, and reads the JSON answer. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** `call` bound to one server and one caller. */
export function client(baseUrl: string, token: string) {
  const as =
    (method: string) =>
    (path: string, body?: unknown): Promise<JsonResponse> =>
      call(baseUrl, method, path, { token, body });
  return { get: as('GET'), post: as('POST'), put: as('PUT'), patch: as('PATCH') };
}
