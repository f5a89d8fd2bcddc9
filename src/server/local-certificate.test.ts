import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";
import { localCertificate, localCertificateDir } from "./local-certificate.js";

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-cert-unit-"));
  process.env.HEARTH_CERT_DIR = dir;
});
after(() => {
  delete process.env.HEARTH_CERT_DIR;
  fs.rmSync(dir, { recursive: true, force: true });
});

it("makes a localhost certificate once, keeps it in $HEARTH_CERT_DIR, and reuses it", async () => {
  assert.equal(localCertificateDir(), dir);
  const first = await localCertificate({ cwd: dir });
  const x509 = new crypto.X509Certificate(first.cert);
  assert.equal(x509.subject, "CN=localhost");
  assert.match(x509.subjectAltName ?? "", /DNS:localhost/);
  assert.ok(x509.checkPrivateKey(crypto.createPrivateKey(first.key)));
  assert.deepEqual(await localCertificate({ cwd: dir }), first);
});

it("makes a new one when the kept certificate cannot be read", async () => {
  const old = await localCertificate({ cwd: dir });
  fs.writeFileSync(path.join(dir, "cert.pem"), "not a certificate");
  const renewed = await localCertificate({ cwd: dir });
  assert.notEqual(renewed.cert, old.cert);
  assert.equal(fs.readFileSync(path.join(dir, "cert.pem"), "utf8"), renewed.cert);
});

it("reads the files the flags name, relative to the cwd, and names the flag that is missing or unreadable", async () => {
  const made = await localCertificate({ cwd: dir });
  fs.writeFileSync(path.join(dir, "k.pem"), made.key);
  fs.writeFileSync(path.join(dir, "c.pem"), made.cert);
  assert.deepEqual(await localCertificate({ cwd: dir, keyPath: "k.pem", certPath: "c.pem" }), made);
  await assert.rejects(localCertificate({ cwd: dir, certPath: "c.pem" }), /--https-key-path is missing/);
  await assert.rejects(localCertificate({ cwd: dir, keyPath: "k.pem", certPath: "nope.pem" }), /Could not read --https-cert-path nope\.pem/);
});
