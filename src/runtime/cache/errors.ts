/**
 * Every error user code can see from the Cache API is made here, with workerd's type and wording.
 * Runs in the isolate thread: the errors are made with the Worker realm's constructors.
 */
const CACHE_ERRORS = {
  nonGetRequest: () => new TypeError("Cannot cache response to non-GET request."),
  partialContent: () => new TypeError("Cannot cache response to a range request (206 Partial Content)."),
  varyStar: () => new TypeError("Cannot cache response with 'Vary: *' header."),
  webSocket: () => new TypeError("Cannot cache WebSocket upgrade response."),
  bodyUsed: () => new TypeError("Body has already been used. It can only be used once. Use tee() first if you need to read it twice."),
  notResponse: () => new TypeError("Failed to execute 'put' on 'Cache': parameter 2 is not of type 'Response'."),
} as const;

export type CacheErrorKind = keyof typeof CACHE_ERRORS;

export function cacheError(kind: CacheErrorKind): TypeError {
  return CACHE_ERRORS[kind]();
}
