/**
 * The answer of a Function whose binding is not on `env`: Hearth does not provide that kind of
 * binding yet (it warned at start), so the sample cannot run locally.
 */
export function missingBinding(kind, name) {
  return new Response(
    `env.${name} is not available yet: Hearth does not support ${kind} yet, so this Function cannot run locally.\n` +
      `The binding is declared in wrangler.toml and works once deployed to Cloudflare Pages.\n`,
    { status: 501, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}
