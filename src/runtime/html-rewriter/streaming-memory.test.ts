import assert from "node:assert/strict";
import { it } from "node:test";
import { HTMLRewriter } from "./html-rewriter.js";

/** Size of the generated page, bytes. */
const PAGE_BYTES = 50 * 1024 * 1024;
/** Size of each chunk the page is produced in, bytes. */
const CHUNK_BYTES = 64 * 1024;
/**
 * The first bytes of the page, during which the engine's buffers and V8's young generation reach
 * their working size; the baseline is taken after them.
 */
const WARM_UP_BYTES = 5 * 1024 * 1024;
/** Memory is sampled once per this many input bytes. */
const SAMPLE_EVERY_BYTES = 1024 * 1024;
/** How much the process's RSS may grow while the remaining 45 MB stream through, bytes. */
const MAX_RSS_GROWTH_BYTES = 16 * 1024 * 1024;
/** How much the engine's WebAssembly memory and other off-heap buffers may grow meanwhile, bytes. */
const MAX_EXTERNAL_GROWTH_BYTES = 4 * 1024 * 1024;
const ROW = '<div class="row"><p data-i="1">some text <b>bold</b> and more</p><!-- c --></div>\n';

it("rewrites a 50 MB streamed page with flat memory", { timeout: 120_000 }, async () => {
  const chunk = new TextEncoder().encode(ROW.repeat(Math.floor(CHUNK_BYTES / ROW.length)));
  let produced = 0;
  const page = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= PAGE_BYTES) return controller.close();
        produced += chunk.byteLength;
        controller.enqueue(chunk.slice());
      },
    },
    { highWaterMark: 0 },
  );
  let elements = 0;
  const rewriter = new HTMLRewriter()
    .on("p", {
      element(e) {
        elements++;
        e.setAttribute("data-seen", "yes");
      },
    })
    .on("b", { text: (t) => void (t.lastInTextNode || t.replace("BOLD")) });

  let baseline: NodeJS.MemoryUsage | undefined;
  let peakRss = 0;
  let peakExternal = 0;
  let output = 0;
  let sampledAt = 0;
  const reader = rewriter.transform(new Response(page, { headers: { "content-type": "text/html" } })).body!.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    output += next.value.byteLength;
    if (produced < WARM_UP_BYTES || produced < sampledAt + SAMPLE_EVERY_BYTES) continue;
    sampledAt = produced;
    const usage = process.memoryUsage();
    baseline ??= usage;
    peakRss = Math.max(peakRss, usage.rss);
    peakExternal = Math.max(peakExternal, usage.external);
  }
  assert.ok(produced >= PAGE_BYTES);
  assert.ok(output > produced, `output ${output} should exceed input ${produced} (attributes were added)`);
  assert.ok(elements > 500_000);
  assert.ok(baseline);
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  const rssGrowth = peakRss - baseline.rss;
  const externalGrowth = peakExternal - baseline.external;
  assert.ok(rssGrowth < MAX_RSS_GROWTH_BYTES, `RSS grew by ${mb(rssGrowth)} while streaming the page`);
  assert.ok(externalGrowth < MAX_EXTERNAL_GROWTH_BYTES, `off-heap memory grew by ${mb(externalGrowth)} while streaming the page`);
});
