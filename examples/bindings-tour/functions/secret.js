// Secrets: API_KEY comes from .dev.vars locally (cp .dev.vars.example .dev.vars), from the
// project's encrypted variables on Cloudflare.
export async function onRequest(context) {
  const apiKey = context.env.API_KEY;
  if (apiKey === undefined) {
    return new Response("API_KEY is not set: copy .dev.vars.example to .dev.vars and restart.\n", { status: 500 });
  }
  // Use the secret to call an API; never send it back.
  return new Response(`API_KEY is set (${apiKey.length} characters).`);
}
