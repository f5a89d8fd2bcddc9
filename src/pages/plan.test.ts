import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { makeProject, removeProject } from "../../test/helpers/project.js";
import { planPages, type PagesFlags } from "./plan.js";

describe("planning a Pages project", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach(removeProject));
  const project = (files: Record<string, string>) => {
    const dir = makeProject(files);
    dirs.push(dir);
    return dir;
  };
  const flags = (cwd: string, extra: Partial<PagesFlags> = {}): PagesFlags => ({ cwd, workDir: cwd, ...extra });
  const valueOf = (plan: ReturnType<typeof planPages>, name: string) => {
    const b = plan.worker.bindings.find((d) => d.name === name);
    return b && "value" in b ? b.value : b?.kind;
  };

  test("precedence: CF_PAGES defaults < config vars < .dev.vars < -b; ASSETS and --kv win over the config", () => {
    const cwd = project({
      "wrangler.toml": 'name = "site"\npages_build_output_dir = "dist"\ncompatibility_date = "2026-04-01"\n[vars]\nCF_PAGES_BRANCH = "from-config"\nA = "config"\nB = "config"\nC = "config"\nASSETS = "shadowed"\n[[kv_namespaces]]\nbinding = "KV"\nid = "config-id"\n',
      ".dev.vars": "B=devvars\nC=devvars\n",
      "dist/index.html": "x",
    });
    const plan = planPages(flags(cwd, { vars: { C: "cli" }, kv: ["KV=cli-id"] }));
    assert.equal(valueOf(plan, "CF_PAGES"), "1");
    assert.equal(valueOf(plan, "CF_PAGES_BRANCH"), "from-config");
    assert.equal(valueOf(plan, "CF_PAGES_URL"), "https://00000000.site.pages.dev");
    assert.deepEqual([valueOf(plan, "A"), valueOf(plan, "B"), valueOf(plan, "C")], ["config", "devvars", "cli"]);
    assert.equal(valueOf(plan, "ASSETS"), "assets");
    const kv = plan.worker.bindings.find((b) => b.name === "KV");
    assert.equal(kv?.kind === "kv" ? kv.namespaceId : undefined, "cli-id");
    assert.equal(plan.directory, `${cwd}/dist`);
  });

  test("the positional directory wins over pages_build_output_dir; the mode follows _worker.js, then ./functions", () => {
    const cwd = project({ "wrangler.toml": 'pages_build_output_dir = "dist"\n', "dist/a.txt": "a", "public/_worker.js": "export default {}", "functions/x.js": "" });
    const advanced = planPages(flags(cwd, { directory: "public" }));
    assert.equal(advanced.directory, `${cwd}/public`);
    assert.deepEqual(advanced.mode, { kind: "advanced", entry: `${cwd}/public/_worker.js` });
    assert.equal(planPages(flags(cwd)).mode.kind, "functions");
  });

  test("a config without pages_build_output_dir is ignored with a warning", () => {
    const cwd = project({ "wrangler.toml": 'name = "worker"\nmain = "src/index.js"\n[vars]\nX = "1"\n', "public/index.html": "x" });
    const plan = planPages(flags(cwd, { directory: "public", compatibilityDate: "2026-04-01" }));
    assert.equal(valueOf(plan, "X"), undefined);
    assert.ok(plan.worker.notes.some((n) => n.level === "warn" && /missing the "pages_build_output_dir" field/.test(n.message)));
  });

  test("no directory anywhere, or one that does not exist, is an error naming what to set", () => {
    const cwd = project({ "index.html": "x" });
    assert.throws(() => planPages(flags(cwd)), /Must specify a directory of static files to serve/);
    assert.throws(() => planPages(flags(cwd, { directory: "nope" })), /does not exist/);
  });
});
