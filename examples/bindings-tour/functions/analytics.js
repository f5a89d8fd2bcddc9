// Analytics Engine.
import { missingBinding } from "../lib/missing-binding.js";

export async function onRequest(context) {
  if (!context.env.ANALYTICS_ENGINE) return missingBinding("Analytics Engine datasets", "ANALYTICS_ENGINE");
  const url = new URL(context.request.url);

  context.env.ANALYTICS_ENGINE.writeDataPoint({
    indexes: [],
    blobs: [url.hostname, url.pathname],
    doubles: [],
  });

  return new Response("Logged analytic");
}
