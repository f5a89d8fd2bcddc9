import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineLoaded } from "./engine.js";
import { HTMLRewriter } from "./html-rewriter.js";

const PAGE = `<!DOCTYPE html><html><head><title>T</title></head><body>
<!-- note --><h1 id="top" class="a b">Hello <b>World</b></h1>
<a href="http://x.example/doc.pdf">pdf</a><a class="ext" href="/in">in</a>
<ul><li>one</li><li>two</li><li>three</li></ul><p class="gone">bye</p><p class="keep">keep <i>me</i></p>
<svg><circle r="1"/></svg></body></html>`;

const html = (body: BodyInit = PAGE, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { "content-type": "text/html", ...headers } });

async function rewrite(rewriter: HTMLRewriter, body: BodyInit = PAGE): Promise<string> {
  return rewriter.transform(html(body)).text();
}

describe("HTMLRewriter", () => {
  it("loads the engine only on first use", () => {
    assert.equal(engineLoaded(), false);
    new HTMLRewriter().onDocument({});
    assert.equal(engineLoaded(), false);
    new HTMLRewriter().on("p", {});
    assert.equal(engineLoaded(), true);
  });

  it("throws a TypeError from on() for an invalid selector", () => {
    assert.throws(() => new HTMLRewriter().on("p[", {}), (e: Error) => e instanceof TypeError && e.message.length > 0);
    assert.throws(() => new HTMLRewriter().on("", {}), TypeError);
    assert.throws(() => new HTMLRewriter().on("a::b", {}), TypeError);
  });

  it("matches the selectors Workers supports", async () => {
    const seen: string[] = [];
    const mark = (name: string) => ({ element: () => void seen.push(name) });
    const rw = new HTMLRewriter()
      .on("h1#top", mark("id"))
      .on("h1.b", mark("class"))
      .on('a[href$=".pdf"]', mark("suffix"))
      .on('a[href^="/"]', mark("prefix"))
      .on('a[href*="x.example"]', mark("substring"))
      .on("a:not(.ext)", mark("not"))
      .on("li:nth-child(2)", mark("nth-child"))
      .on("li:first-child", mark("first-child"))
      .on("ul > li", mark("child"))
      .on("body li", mark("descendant"))
      .on("[class~=a]", mark("word"));
    await rewrite(rw);
    // Per element, handlers run in the order they were registered.
    assert.deepEqual(seen, ["id", "class", "word", "suffix", "substring", "not", "prefix", "first-child", "child", "descendant", "nth-child", "child", "descendant", "child", "descendant"]);
  });

  it("gives elements their full API and applies every change", async () => {
    const out = await rewrite(
      new HTMLRewriter()
        .on("title", { element: (e) => void e.setInnerContent("<New>") })
        .on("h1", {
          element(e) {
            assert.deepEqual([...e.attributes], [["id", "top"], ["class", "a b"]]);
            assert.equal(e.getAttribute("class"), "a b");
            assert.equal(e.hasAttribute("id"), true);
            assert.equal(e.getAttribute("nope"), null);
            assert.equal(e.namespaceURI, "http://www.w3.org/1999/xhtml");
            e.removeAttribute("id").setAttribute("data-x", "1");
            e.prepend("<em>p</em>", { html: true }).append(" & a");
            e.before("[").after("]");
            e.tagName = "h2";
          },
        })
        .on("p.gone", { element: (e) => void e.remove() })
        .on("p.keep", { element: (e) => void e.removeAndKeepContent() })
        .on("li:nth-child(3)", { element: (e) => void e.replace("<li>3</li>", { html: true }) })
        .on("a.ext", { element: (e) => e.onEndTag((end) => void end.after("<!--/a-->", { html: true })) })
        .on("circle", { element: (e) => assert.equal(e.namespaceURI, "http://www.w3.org/2000/svg") }),
    );
    assert.match(out, /<title>&lt;New&gt;<\/title>/);
    assert.match(out, /\[<h2 class="a b" data-x="1"><em>p<\/em>Hello <b>World<\/b> &amp; a<\/h2>\]/);
    assert.match(out, /<a class="ext" href="\/in">in<\/a><!--\/a-->/);
    assert.match(out, /<li>two<\/li><li>3<\/li><\/ul>keep <i>me<\/i>\n/);
    assert.doesNotMatch(out, /bye/);
  });

  it("delivers text in chunks ending with lastInTextNode, comments, the doctype and the document end", async () => {
    const texts: string[] = [];
    let buffered = "";
    const seen: unknown[] = [];
    const out = await rewrite(
      new HTMLRewriter()
        .on("h1", {
          text(t) {
            buffered += t.text;
            if (t.lastInTextNode) {
              texts.push(buffered);
              buffered = "";
            }
          },
        })
        .onDocument({
          doctype: (d) => void seen.push({ name: d.name, publicId: d.publicId, systemId: d.systemId }),
          comments(c) {
            seen.push(c.text);
            c.text = " edited ";
          },
          end: (end) => void end.append("<!--end-->", { html: true }),
        }),
    );
    assert.deepEqual(texts, ["Hello ", "World"]);
    assert.deepEqual(seen, [{ name: "html", publicId: null, systemId: null }, " note "]);
    assert.match(out, /<!-- edited -->/);
    assert.ok(out.endsWith("</html><!--end-->"));
  });

  it("awaits async handlers in order, and takes content from ReadableStreams and Responses", async () => {
    const order: string[] = [];
    const out = await rewrite(
      new HTMLRewriter().on("li", {
        async element(e) {
          const text = await new Promise<string>((r) => setTimeout(() => r(String(order.length)), 5));
          order.push(text);
          e.setInnerContent(new Response(`<b>${text}</b>`), { html: true });
          e.append(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("+s")), c.close()) }));
          e.setAttribute("n", text);
        },
      }),
    );
    assert.deepEqual(order, ["0", "1", "2"]);
    assert.match(out, /<li n="0"><b>0<\/b>\+s<\/li><li n="1"><b>1<\/b>\+s<\/li><li n="2"><b>2<\/b>\+s<\/li>/);
  });

  it("escapes text content unless { html: true }", async () => {
    const out = await rewrite(new HTMLRewriter().on("b", { element: (e) => void e.setInnerContent("<i>x</i>") }));
    assert.match(out, /<b>&lt;i&gt;x&lt;\/i&gt;<\/b>/);
  });

  it("rejects reading the body with a handler's error, sync or async", async () => {
    await assert.rejects(rewrite(new HTMLRewriter().on("p", { element: () => { throw new Error("sync boom"); } })), /sync boom/);
    await assert.rejects(
      rewrite(new HTMLRewriter().on("p", { element: async () => { throw new Error("async boom"); } })),
      /async boom/,
    );
    // The engine still works afterwards.
    assert.match(await rewrite(new HTMLRewriter().on("b", { element: (e) => void e.remove() })), /Hello <\/h1>/);
  });

  it("returns a new streaming Response with status and headers copied and Content-Length removed", async () => {
    const source = new Response("<p>x</p>", { status: 201, statusText: "Made", headers: { "content-length": "8", "x-a": "1" } });
    const res = new HTMLRewriter().on("p", { element: (e) => void e.setAttribute("a", "b") }).transform(source);
    assert.notEqual(res, source);
    assert.equal(res.status, 201);
    assert.equal(res.statusText, "Made");
    assert.equal(res.headers.get("x-a"), "1");
    assert.equal(res.headers.has("content-length"), false);
    assert.equal(await res.text(), '<p a="b">x</p>');
    assert.throws(() => new HTMLRewriter().transform("x" as unknown as Response), TypeError);
    assert.equal(await new HTMLRewriter().transform(new Response(null)).text(), "");
  });

  it("rewrites every response it is given, independently", async () => {
    const rw = new HTMLRewriter().on("b", { element: (e) => void e.setInnerContent("!") });
    const [a, b] = await Promise.all([rewrite(rw, "<b>1</b>"), rewrite(rw, "<b>2</b><b>3</b>")]);
    assert.equal(a, "<b>!</b>");
    assert.equal(b, "<b>!</b><b>!</b>");
  });
});
