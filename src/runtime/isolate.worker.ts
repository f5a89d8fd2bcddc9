/**
 * Entry of an isolate thread: installs the Workers global scope, builds `env`, loads the user's
 * bundle and answers the host's events. Hearth's own code here may use Node; user code may not.
 */
import { parentPort, workerData } from "node:worker_threads";
import { setInterval } from "node:timers";
import { createEnv } from "../bindings/create-env.js";
import { DurableObjectHost } from "../bindings/durable-objects/index.js";
import { openMessageBatch, type MessageBatchSession } from "../bindings/queues/index.js";
import { CLOUDFLARE_WORKERS_KEY, createCloudflareWorkersModule } from "./cloudflare-workers.js";
import { headerPairs, PulledBodies, ResponseBodies } from "./body-channel.js";
import type { WorkersWebSocket } from "./websocket-pair.js";
import { responseWebSocket } from "./workers-response.js";
import {
  moduleHandlers,
  newInvocation,
  serviceWorkerHandlers,
  ServiceWorkerListeners,
  type WorkerHandlers,
} from "./entrypoint.js";
import { installWorkersGlobals } from "./global-scope.js";
import { evaluateGlobalScope } from "./global-scope-guard.js";
import type { HostToIsolate, IsolateInit, IsolateToHost, RpcOutcome, WireRequest } from "./protocol.js";
import { ServiceCalls } from "./service-calls.js";
import { isNodejsCompat } from "./compat.js";
import { defineRequestCf } from "./request-cf.js";
import { toWireError } from "./wire-error.js";
import { SubrequestBudget } from "./outbound/index.js";

const init = workerData as IsolateInit;
/** Node's Request, for incoming requests: the Workers one (outbound/workers-request.ts) checks init fields Hearth sets right. */
const NodeRequest = globalThis.Request;
const subrequests = new SubrequestBudget(init.subrequestLimit);
const port = parentPort!;
const post = (message: IsolateToHost) => port.postMessage(message);

/** Slot 0: heartbeat counter; slot 1: id of the last request handed to user code. */
const shared = new Int32Array(init.heartbeat);
setInterval(() => Atomics.add(shared, 0, 1), init.heartbeatIntervalMs);

process.setSourceMapsEnabled(true);
process.on("unhandledRejection", (reason) => {
  post({ t: "log", level: "error", text: `Uncaught (in promise) ${toWireError(reason).stack}` });
});
process.on("uncaughtException", (error) => {
  post({ t: "log", level: "error", text: `Uncaught ${toWireError(error).stack}` });
});

const logRejectedWaitUntil = (reason: unknown) =>
  post({ t: "log", level: "error", text: `A promise passed to waitUntil() rejected: ${toWireError(reason).stack}` });

const requestBodies = new PulledBodies((id) => post({ t: "body-pull", id }));
const responseBodies = new ResponseBodies(post);
const serviceCalls = new ServiceCalls(post);
const durableObjects = new DurableObjectHost({
  workerName: init.workerName,
  hosted: init.hostedClasses,
  transportTo: (target) => serviceCalls.transportTo(target),
  log: (level, text) => post({ t: "log", level, text }),
});

async function load(): Promise<WorkerHandlers> {
  installWorkersGlobals({
    nodejsCompat: isNodejsCompat(init.compatibilityFlags),
    compatibilityDate: init.compatibilityDate,
    compatibilityFlags: init.compatibilityFlags,
    stateRoot: init.stateRoot,
    subrequests,
  });
  const env = createEnv(init.bindings, { transportTo: (target) => serviceCalls.transportTo(target), durableObjects });
  const g = globalThis as unknown as Record<string | symbol, unknown>;
  g[CLOUDFLARE_WORKERS_KEY] = createCloudflareWorkersModule(env, (p) => newInvocation(logRejectedWaitUntil).ctx.waitUntil(p));
  if (init.format === "service-worker") {
    const listeners = new ServiceWorkerListeners();
    listeners.install(g as Record<string, unknown>);
    for (const [name, value] of Object.entries(env)) g[name] = value;
    await evaluateGlobalScope(() => import(init.entryUrl));
    return serviceWorkerHandlers(listeners);
  }
  const module = (await evaluateGlobalScope(() => import(init.entryUrl))) as Record<string, unknown>;
  durableObjects.start(module, env);
  return moduleHandlers(module, env);
}

function toRequest(wire: WireRequest): Request {
  const hasBody = wire.body !== "none" && wire.method !== "GET" && wire.method !== "HEAD";
  const headers = new Headers();
  for (let i = 0; i < wire.headers.length; i += 2) headers.append(wire.headers[i]!, wire.headers[i + 1]!);
  const request = new NodeRequest(wire.url, {
    method: wire.method,
    headers,
    body: hasBody ? (wire.body === "stream" ? requestBodies.open(wire.id) : (wire.body as Uint8Array)) : null,
    // Node's fetch needs this for a streamed body.
    ...(hasBody ? { duplex: "half" } : {}),
    // As on Cloudflare: passing the incoming request on (fetch(request), env.ASSETS.fetch(request))
    // returns a redirect instead of following it.
    redirect: "manual",
  } as RequestInit);
  defineRequestCf(request, wire.httpVersion, wire.cf);
  return request;
}

function isResponse(value: unknown): value is Response {
  return value instanceof Response;
}

async function handleFetch(handlers: WorkerHandlers, wire: WireRequest): Promise<void> {
  Atomics.store(shared, 1, wire.id);
  const invocation = newInvocation(logRejectedWaitUntil, wire.props);
  subrequests.begin(invocation);
  let response: unknown;
  try {
    if (wire.durableObject) {
      const address = wire.durableObject;
      response = await subrequests.run(invocation, () => durableObjects.fetch(address, toRequest(wire)));
    } else {
      if (wire.entrypoint === undefined && !handlers.hasFetch) throw new Error("Handler does not export a fetch() function.");
      response = await subrequests.run(invocation, () => handlers.fetch(toRequest(wire), invocation, wire.entrypoint));
    }
    if (!isResponse(response)) throw new TypeError("Incorrect type for Promise: the Promise did not resolve to 'Response'.");
  } catch (error) {
    subrequests.finish(invocation);
    post({ t: "error", id: wire.id, error: toWireError(error), passThrough: invocation.passThrough });
    return;
  }
  const webSocket = responseWebSocket(response);
  if (webSocket) {
    subrequests.finish(invocation);
    connectWebSocket(wire.id, webSocket, response);
    return;
  }
  try {
    await responseBodies.send(wire.id, response);
  } catch (error) {
    post({ t: "error", id: wire.id, error: toWireError(error), passThrough: false });
  }
  subrequests.finish(invocation);
}

/** The client end of a 101 response: its peer's messages go to the host, the client's come back. */
const webSockets = new Map<number, WorkersWebSocket>();

function connectWebSocket(id: number, webSocket: WorkersWebSocket, response: Response): void {
  webSockets.set(id, webSocket);
  // The head first: the host must know the socket before any message for it arrives.
  post({ t: "response", res: { id, status: 101, statusText: "Switching Protocols", headers: headerPairs(response.headers), body: null, webSocket: true } });
  webSocket.attach({
    send: (data) => post({ t: "ws-send", id, data }),
    close: (code, reason) => {
      webSockets.delete(id);
      post({ t: "ws-close", id, code, reason });
    },
  });
}

async function handleQueue(handlers: WorkerHandlers, message: Extract<HostToIsolate, { t: "queue" }>): Promise<void> {
  Atomics.store(shared, 1, message.id);
  const invocation = newInvocation(logRejectedWaitUntil);
  subrequests.begin(invocation);
  let session: MessageBatchSession | undefined;
  try {
    session = openMessageBatch(message, (text) => post({ t: "log", level: "warn", text }));
    if (!handlers.hasQueue) {
      throw new Error(init.format === "service-worker" ? "No event listener registered for queue messages." : "Handler does not export a queue() function.");
    }
    const batch = session.batch;
    await subrequests.run(invocation, () => handlers.queue(batch, invocation));
    await Promise.all(invocation.waitUntil);
    post({ t: "queue-done", id: message.id, outcome: "ok", decisions: session.decide("ok") });
  } catch (error) {
    post({ t: "queue-done", id: message.id, outcome: "exception", decisions: session?.decide("exception") ?? [], error: toWireError(error) });
  }
  subrequests.finish(invocation);
}

async function handleScheduled(handlers: WorkerHandlers, id: number, cron: string, scheduledTime: number): Promise<void> {
  Atomics.store(shared, 1, id);
  const invocation = newInvocation(logRejectedWaitUntil);
  subrequests.begin(invocation);
  let noRetry = false;
  const controller = { scheduledTime, cron, noRetry: () => void (noRetry = true) };
  try {
    if (!handlers.hasScheduled) throw new Error("Handler does not export a scheduled() function.");
    await subrequests.run(invocation, () => handlers.scheduled(controller, invocation));
    await Promise.all(invocation.waitUntil);
    post({ t: "scheduled-done", id, outcome: "ok", noRetry });
  } catch (error) {
    post({ t: "scheduled-done", id, outcome: "exception", noRetry, error: toWireError(error) });
  }
  subrequests.finish(invocation);
}

async function handleRpc(handlers: WorkerHandlers, message: Extract<HostToIsolate, { t: "rpc" }>): Promise<void> {
  Atomics.store(shared, 1, message.id);
  let outcome: RpcOutcome;
  const invocation = newInvocation(logRejectedWaitUntil, message.props);
  subrequests.begin(invocation);
  try {
    const { durableObject, entrypoint, method, args } = message;
    const value = await subrequests.run(invocation, () =>
      durableObject ? durableObjects.call(durableObject, method, args) : handlers.rpc(entrypoint, method, args, invocation),
    );
    outcome = { ok: true, value };
  } catch (error) {
    const { name, message: text } = toWireError(error);
    outcome = { ok: false, error: { name, message: text } };
  }
  subrequests.finish(invocation);
  try {
    post({ t: "rpc-result", id: message.id, outcome });
  } catch (error) {
    post({ t: "rpc-result", id: message.id, outcome: { ok: false, error: { name: "DataCloneError", message: (error as Error).message } } });
  }
}

load().then(
  (handlers) => {
    port.on("message", (message: HostToIsolate) => {
      switch (message.t) {
        case "fetch":
          void handleFetch(handlers, message.req);
          break;
        case "scheduled":
          void handleScheduled(handlers, message.id, message.cron, message.scheduledTime);
          break;
        case "queue":
          void handleQueue(handlers, message);
          break;
        case "body-chunk":
          requestBodies.chunk(message.id, message.chunk);
          break;
        case "body-end":
          requestBodies.end(message.id);
          break;
        case "body-error":
          requestBodies.error(message.id, message.message);
          break;
        case "chunk-ack":
          responseBodies.ack(message.id, message.bytes);
          break;
        case "abort":
          responseBodies.abort(message.id);
          break;
        case "rpc":
          void handleRpc(handlers, message);
          break;
        case "ws-message":
          webSockets.get(message.id)?.fromNetwork(message.data);
          break;
        case "ws-closed":
          webSockets.get(message.id)?.networkClosed(message.code, message.reason, message.wasClean);
          webSockets.delete(message.id);
          break;
        case "sub-response":
          serviceCalls.responded(message.sub, message.res);
          break;
        case "sub-ws-message":
          serviceCalls.socketMessage(message.sub, message.data);
          break;
        case "sub-ws-closed":
          serviceCalls.socketClosed(message.sub, message.code, message.reason, message.wasClean);
          break;
        case "sub-failed":
          serviceCalls.failed(message.sub, message.error);
          break;
        case "sub-chunk":
          serviceCalls.bodies.chunk(message.sub, message.chunk);
          break;
        case "sub-end":
          serviceCalls.bodies.end(message.sub);
          break;
        case "sub-body-error":
          serviceCalls.bodies.error(message.sub, message.message);
          break;
        case "sub-rpc-result":
          serviceCalls.called(message.sub, message.outcome);
          break;
      }
    });
    post({ t: "ready" });
  },
  (error) => post({ t: "load-error", error: toWireError(error) }),
);
