/**
 * A service binding used from Node rather than from an isolate (the library's `getEnv()`): the
 * same transport contract, served by calling the router directly.
 */
import { Readable } from "node:stream";
import type { ServiceTransport } from "../bindings/service/index.js";
import { HandlerError } from "./isolate-errors.js";
import type { ServiceTarget } from "./protocol.js";
import { notRunningMessage, type ServiceRouter } from "./service-router.js";

export function hostServiceTransport(router: ServiceRouter, target: ServiceTarget): ServiceTransport {
  const { service, entrypoint, props, durableObject } = target;
  return {
    async fetch(req) {
      const handle = router.lookup(service);
      if (!handle) return { status: 503, statusText: "Service Unavailable", headers: [], body: notRunningMessage(service, entrypoint) };
      try {
        const { head, body } = await handle.fetch({ ...req, httpVersion: "1.1", entrypoint, props, durableObject }, req.body ?? undefined);
        const payload =
          body instanceof Readable ? (Readable.toWeb(body) as ReadableStream<Uint8Array>) : body !== null && "text" in body ? body.text : body;
        return { status: head.status, statusText: head.statusText, headers: head.headers, body: payload };
      } catch (error) {
        if (error instanceof HandlerError) {
          const rebuilt = new Error(error.wire.message);
          rebuilt.name = error.wire.name;
          throw rebuilt;
        }
        throw error;
      }
    },
    async call(method, args) {
      const handle = router.lookup(service);
      if (!handle) return { ok: false, error: { name: "Error", message: notRunningMessage(service, entrypoint) } };
      return handle.rpc({ entrypoint, props, durableObject, method, args });
    },
  };
}
