interface Env {
  GREETING: string;
  ADMIN_TOKEN?: string;
  VISITS: KVNamespace;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/") {
      const visits = Number((await env.VISITS.get("count")) ?? "0") + 1;
      // The write finishes after the response is sent, and survives a restart.
      ctx.waitUntil(env.VISITS.put("count", String(visits)));
      return new Response(`${env.GREETING}! This page has been visited ${visits} time(s).\n`, {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    if (url.pathname === "/whoami") {
      return Response.json({ colo: request.cf?.colo, userAgent: navigator.userAgent, hasSecret: Boolean(env.ADMIN_TOKEN) });
    }
    return new Response("Not found\n", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
