import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { committedKeys, failure, nextTurn, openTestStorage } from "./test-helpers.js";

type Txn = Parameters<Parameters<ReturnType<typeof openTestStorage>["storage"]["api"]["transaction"]>[0]>[0];

async function bank(sqlite = true) {
  const test = openTestStorage({ sqlite });
  await test.storage.api.put({ alice: 100, bob: 0 });
  const balances = async () => Object.fromEntries(await test.storage.api.get(["alice", "bob"]));
  return { ...test, s: test.storage.api, balances };
}

describe("transaction()", () => {
  it("commits and returns the callback's value", async () => {
    const { s, balances } = await bank();
    const result = await s.transaction(async (txn) => {
      const a = (await txn.get<number>("alice"))!;
      await txn.put("alice", a - 30);
      await txn.put("bob", ((await txn.get<number>("bob")) ?? 0) + 30);
      return "committed";
    });
    assert.equal(result, "committed");
    assert.deepEqual(await balances(), { alice: 70, bob: 30 });
  });

  it("rolls everything back (KV, SQL, alarm) when the callback throws, and rethrows the same error", async () => {
    const { s, storage, balances } = await bank();
    storage.hasAlarmHandler = true;
    s.sql.exec("CREATE TABLE ledger (note TEXT)");
    const boom = new Error("insufficient funds");
    const thrown = await s
      .transaction(async (txn) => {
        await txn.put("alice", -400);
        await s.put("bob", 500);
        s.sql.exec("INSERT INTO ledger VALUES ('gone')");
        await txn.setAlarm(Date.now() + 60_000);
        await nextTurn(); // no commit may happen while the transaction is open
        throw boom;
      })
      .catch((e: unknown) => e);
    assert.equal(thrown, boom);
    assert.deepEqual(await balances(), { alice: 100, bob: 0 });
    assert.deepEqual(s.sql.exec("SELECT * FROM ledger").toArray(), []);
    assert.equal(await s.getAlarm(), null);
  });

  it("txn.rollback() discards the writes but the callback's value is still returned", async () => {
    const { s, balances } = await bank();
    const result = await s.transaction(async (txn) => {
      await txn.put("alice", 0);
      await txn.put("carol", 5);
      txn.rollback();
      txn.rollback(); // allowed twice
      return "returned after rollback";
    });
    assert.equal(result, "returned after rollback");
    assert.deepEqual(await balances(), { alice: 100, bob: 0 });
    assert.equal(await s.get("carol"), undefined);
  });

  it("refuses txn calls after rollback, and after the callback ended", async () => {
    const { s } = await bank();
    let kept: Txn | undefined;
    await s.transaction(async (txn) => {
      kept = txn;
      txn.rollback();
      assert.equal(await failure(() => txn.get("alice")), "Error: Cannot get on rolled back transaction");
    });
    await s.transaction(async (txn) => {
      kept = txn;
    });
    assert.equal(
      await failure(() => kept!.put("a", 1)),
      "Error: Cannot call put on transaction that has already committed: did you move `txn` outside of the closure?",
    );
  });

  it("refuses deleteAll() inside a transaction, on txn and on storage", async () => {
    const { s } = await bank();
    await s.transaction(async (txn) => {
      assert.equal(await failure(() => txn.deleteAll()), "Error: Cannot call deleteAll() within a transaction");
      assert.equal(await failure(() => s.deleteAll()), "Error: Cannot call deleteAll() within a transaction");
    });
  });

  it("does not commit while the callback runs; commits before its promise resolves", async () => {
    const { s, file } = await bank();
    await nextTurn();
    await s.transaction(async (txn) => {
      await txn.put("carol", 1);
      await nextTurn();
      await nextTurn();
      assert.deepEqual(committedKeys(file), ["alice", "bob"]);
    });
    assert.deepEqual(committedKeys(file), ["alice", "bob", "carol"]);
  });

  it("runs transactions one at a time, and nests one started inside another", async () => {
    const { s } = await bank();
    const order: string[] = [];
    const first = s.transaction(async (txn) => {
      order.push("first start");
      await nextTurn();
      await txn.put("first", 1);
      const inner = await s.transaction(async (innerTxn) => {
        await innerTxn.put("inner", 1);
        return "inner";
      });
      order.push(`first end (${inner})`);
    });
    const second = s
      .transaction(async () => {
        order.push("second");
        throw new Error("second fails");
      })
      .catch(() => undefined);
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first start", "first end (inner)", "second"]);
    assert.deepEqual([...(await s.get(["first", "inner"])).keys()], ["first", "inner"]);
  });

  it("works on KV-backed classes too", async () => {
    const { s, balances } = await bank(false);
    await s.transaction(async (txn) => {
      await txn.delete("bob");
    });
    assert.deepEqual(await balances(), { alice: 100 });
  });
});

describe("transactionSync()", () => {
  it("keeps SQL and KV writes when the callback returns, rolls them back when it throws", async () => {
    const { s } = await bank();
    const ok = s.transactionSync(() => {
      s.sql.exec("CREATE TABLE IF NOT EXISTS ledger (id INTEGER PRIMARY KEY, note TEXT)");
      s.sql.exec("INSERT INTO ledger (note) VALUES ('kept')");
      return "sync committed";
    });
    const error = (() => {
      try {
        s.transactionSync(() => {
          s.sql.exec("INSERT INTO ledger (note) VALUES ('discarded')");
          s.kv.put("alice", 0);
          throw new Error("abort sync");
        });
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    })();
    assert.equal(ok, "sync committed");
    assert.equal(error, "abort sync");
    assert.deepEqual(s.sql.exec("SELECT note FROM ledger ORDER BY id").toArray(), [{ note: "kept" }]);
    assert.equal(await s.get("alice"), 100);
  });

  it("nests: an inner failure rolls back only the inner part", () => {
    const s = openTestStorage().storage.api;
    s.sql.exec("CREATE TABLE t (v)");
    s.transactionSync(() => {
      s.sql.exec("INSERT INTO t VALUES (1)");
      try {
        s.transactionSync(() => {
          s.sql.exec("INSERT INTO t VALUES (2)");
          throw new Error("inner");
        });
      } catch {
        // expected
      }
      s.sql.exec("INSERT INTO t VALUES (3)");
    });
    assert.deepEqual([...s.sql.exec("SELECT v FROM t ORDER BY v").raw()], [[1], [3]]);
  });

  it("is refused on KV-backed classes", () => {
    const { storage } = openTestStorage({ sqlite: false });
    assert.throws(() => storage.api.transactionSync(() => 1), { name: "Error", message: "Durable Object is not backed by SQL." });
  });
});

describe("deleteAll()", () => {
  it("removes every key and every user table and view, keeps the alarm and Hearth's tables", async () => {
    const { storage } = openTestStorage();
    const s = storage.api;
    await s.put({ x: 1, y: 2 });
    await s.setAlarm(Date.now() + 60_000);
    s.sql.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT); CREATE TABLE child (p REFERENCES parent(id))");
    s.sql.exec("INSERT INTO parent DEFAULT VALUES; INSERT INTO child VALUES (1); CREATE VIEW v AS SELECT * FROM child");
    s.sql.exec("CREATE INDEX child_p ON child (p)");
    assert.equal(await s.deleteAll(), undefined);
    assert.equal((await s.list()).size, 0);
    const left = s.sql.exec("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite%' ORDER BY name").toArray();
    assert.deepEqual(left, [
      { type: "table", name: "_cf_KV" },
      { type: "table", name: "_cf_METADATA" },
    ]);
    assert.notEqual(await s.getAlarm(), null);
    s.sql.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT); INSERT INTO parent DEFAULT VALUES");
    assert.equal(s.sql.exec("SELECT id FROM parent").one().id, 1, "AUTOINCREMENT counters are reset");
  });
});
