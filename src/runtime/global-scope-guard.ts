/**
 * Workers forbid asynchronous I/O, timers and random values while a Worker's modules are being
 * evaluated (its global scope): such work belongs to a request, and workerd throws this error.
 * The isolate marks the evaluation (`evaluateGlobalScope`); the globals that do such work call
 * `assertNotInGlobalScope` first.
 */

/** workerd's message (api/global-scope.c++, IoContext::current). */
export const GLOBAL_SCOPE_ERROR =
  "Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or connect()), setting a timeout, and generating random values are not allowed within global scope. To fix this error, perform this operation within a handler. https://developers.cloudflare.com/workers/runtime-apis/handlers/";

let evaluating = false;

/** Runs `load` (the import of the Worker's entry module) as global-scope evaluation. */
export async function evaluateGlobalScope<T>(load: () => Promise<T>): Promise<T> {
  evaluating = true;
  try {
    return await load();
  } finally {
    evaluating = false;
  }
}

export function assertNotInGlobalScope(): void {
  if (evaluating) throw new Error(GLOBAL_SCOPE_ERROR);
}
