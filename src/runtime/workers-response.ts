/**
 * Workers' Response: the Web one, plus `webSocket` — a 101 response carries the client end of a
 * WebSocketPair. Node's Response refuses status 101, so construction is intercepted (a Proxy, not
 * a subclass: every Response, including those from Response.json() and fetch(), stays an
 * instance of the one global class).
 */
import type { WorkersWebSocket } from "./websocket-pair.js";

type WorkersResponseInit = ResponseInit & { webSocket?: WorkersWebSocket | null };

export function workersResponseClass(Base: typeof Response): typeof Response {
  // Responses without a WebSocket report `webSocket: null`, as in Workers.
  Object.defineProperty(Base.prototype, "webSocket", { get: () => null, configurable: true });
  return new Proxy(Base, {
    construct(target, args: [BodyInit | null | undefined, WorkersResponseInit | undefined], newTarget) {
      const [, init] = args;
      const webSocket = init?.webSocket ?? null;
      if (webSocket === null) return Reflect.construct(target, args, newTarget);
      if (init?.status !== 101) throw new RangeError("Responses with a WebSocket must have status code 101.");
      const response = Reflect.construct(target, [null, { ...init, status: 200 }], newTarget) as Response;
      Object.defineProperties(response, {
        status: { value: 101 },
        ok: { value: false },
        webSocket: { value: webSocket },
      });
      return response;
    },
  });
}

/** The WebSocket a response carries, if any. */
export function responseWebSocket(response: Response): WorkersWebSocket | null {
  return (response as Response & { webSocket?: WorkersWebSocket | null }).webSocket ?? null;
}
