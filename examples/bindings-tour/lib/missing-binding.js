/**
 * The answer of a Function whose binding is not on `env`: the binding was removed from
 * wrangler.toml (or the project runs somewhere that does not provide it), so the sample cannot run.
 */
export function missingBinding(kind, name) {
  return new Response(
    `env.${name} is not available: declare the ${kind} binding "${name}" in wrangler.toml to run this Function.\n`,
    { status: 501, headers: { "content-type": "text/plain; charset=utf-8" } },
  );
}
