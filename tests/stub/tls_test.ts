import assert from "node:assert/strict";
import { missingTool } from "../_tools.ts";
import { openConnector } from "../../lib/load/connection.ts";
import { UsageError } from "../../lib/base/errors.ts";
import { runClosedFetch } from "../_helpers.ts";
import type { Sample } from "../../lib/stats/sample.ts";
import { startStubProcess } from "../../lib/stub/spawn.ts";
import {
  makeSelfSignedCert,
  opensslArgs,
  parseTlsLine,
  readLineFrom,
  splitPem,
  tlsLine,
} from "../../lib/stub/tls.ts";
import { buildWorkload } from "../../lib/workload/workload.ts";
import { serveStubHttps } from "../../lib/stub/server.ts";
import { parseStubArgs } from "../../lib/stub/stub_args.ts";

const CERT =
  "-----BEGIN CERTIFICATE-----\nMIIBnjCCAUSgAwIBAgIU\nBZowGgYD==\n-----END CERTIFICATE-----";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----";

/** Why the tests over real HTTPS cannot run (openssl missing), or undefined. */
const NO_OPENSSL = await missingTool("tls_test.ts", "openssl", "openssl", ["version"]);

Deno.test("opensslArgs() asks for a one-day P-256 end-entity certificate for loopback, on stdout", () => {
  const args = opensslArgs().join(" ");
  assert.match(args, /^req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes/);
  assert.match(args, /-days 1\b/);
  assert.match(args, /subjectAltName=IP:127\.0\.0\.1,DNS:localhost/);
  assert.match(args, /basicConstraints=critical,CA:FALSE/);
  assert.match(args, /-keyout - -out -$/);
});

Deno.test("splitPem() finds the certificate and the key in either order", () => {
  for (const text of [`${KEY}\n${CERT}\n`, `noise\n${CERT}\n${KEY}\n`]) {
    const { cert, key } = splitPem(text);
    assert.equal(cert, `${CERT}\n`);
    assert.equal(key, `${KEY}\n`);
  }
  assert.throws(() => splitPem(CERT), /PRIVATE KEY/);
  assert.throws(() => splitPem(KEY), /CERTIFICATE/);
});

Deno.test("makeSelfSignedCert() reports a missing or failing openssl as bad usage", async () => {
  await assert.rejects(
    makeSelfSignedCert(() => Promise.reject(new Deno.errors.NotFound("openssl"))),
    (err: unknown) => err instanceof UsageError && /openssl is not installed/.test(err.message),
  );
  await assert.rejects(
    makeSelfSignedCert(() =>
      Promise.resolve({ success: false, stdout: "", stderr: "x\nunknown option -addext" })
    ),
    (err: unknown) => err instanceof UsageError && /\(unknown option -addext\)/.test(err.message),
  );
  const seen: string[] = [];
  const tls = await makeSelfSignedCert((cmd, args) => {
    seen.push(cmd, ...args);
    return Promise.resolve({ success: true, stdout: `${KEY}\n${CERT}\n`, stderr: "" });
  });
  assert.equal(seen[0], "openssl");
  assert.equal(tls.cert, `${CERT}\n`);
});

Deno.test("tlsLine() is one line that parseTlsLine() reads back; other lines are refused", () => {
  const line = tlsLine({ cert: `${CERT}\n`, key: `${KEY}\n` });
  assert.equal(line.indexOf("\n"), line.length - 1);
  assert.deepEqual(parseTlsLine(line.trimEnd()), { cert: `${CERT}\n`, key: `${KEY}\n` });
  assert.throws(() => parseTlsLine("{not json"), TypeError);
  assert.throws(() => parseTlsLine('{"cert": 1}'), TypeError);
});

Deno.test("readLineFrom() stops at the newline and leaves the rest unread", async () => {
  const bytes = new TextEncoder().encode("first line\nrest");
  let at = 0;
  const read = (buf: Uint8Array) => {
    if (at >= bytes.length) return Promise.resolve(null);
    const n = Math.min(buf.length, bytes.length - at);
    buf.set(bytes.subarray(at, at + n));
    at += n;
    return Promise.resolve(n);
  };
  assert.equal(await readLineFrom(read), "first line");
  assert.equal(at, "first line\n".length);
  assert.equal(await readLineFrom(read), null, "EOF before a newline");
});

Deno.test("parseStubArgs() takes a certificate from files or stdin, not both", () => {
  const files = parseStubArgs(["--tls-cert", "c.pem", "--tls-key", "k.pem"]);
  assert.notEqual(files, "help");
  if (files !== "help") {
    assert.deepEqual(files.tlsSource, { from: "files", cert: "c.pem", key: "k.pem" });
  }
  const stdin = parseStubArgs(["--tls-stdin"]);
  if (stdin !== "help") assert.deepEqual(stdin.tlsSource, { from: "stdin" });
  const none = parseStubArgs([]);
  if (none !== "help") assert.equal(none.tlsSource, undefined);
  assert.throws(() => parseStubArgs(["--tls-cert", "c.pem"]), UsageError);
  assert.throws(() => parseStubArgs(["--tls-stdin", "--tls-key", "k.pem"]), UsageError);
});

Deno.test("over HTTPS, fresh opens one TLS connection per request and pooled at most C", {
  ignore: NO_OPENSSL !== undefined,
}, async () => {
  const tls = await makeSelfSignedCert();
  const stub = await serveStubHttps({ mode: "concurrent", serviceMs: [1, 2], tls });
  try {
    assert.match(stub.url, /^https:\/\/127\.0\.0\.1:\d+\/v1\/infer$/);
    const workload = await buildWorkload({ seed: 5, requests: 24 });
    for (const policy of ["fresh", "pooled"] as const) {
      const before = stub.stats().connections;
      const connector = openConnector({ policy, concurrency: 3, caCerts: [tls.cert] });
      const samples: Sample[] = [];
      try {
        await runClosedFetch({
          phase: policy,
          url: stub.url,
          method: "POST",
          headers: { "content-type": "application/json" },
          workload,
          requests: 24,
          concurrency: 3,
          timeoutMs: 10_000,
        }, {
          fetch: connector.fetch,
          now: () => performance.now(),
          onSample: (s) => samples.push(s),
        });
      } finally {
        connector.close();
      }
      assert.ok(samples.every((s) => s.ok), JSON.stringify(samples.find((s) => !s.ok)));
      assert.ok(samples.every((s) => s.serverInferMs !== null && s.connId !== ""));
      const conns = new Set(samples.map((s) => s.connId)).size;
      if (policy === "fresh") assert.equal(conns, 24);
      else assert.ok(conns <= 3, `pooled used ${conns} connections`);
      assert.equal(stub.stats().connections - before, conns, "server and client agree");
    }
    // A client that does not trust the certificate is refused.
    await assert.rejects(fetch(stub.url, { method: "POST", body: '{"inputs":"x"}' }));
  } finally {
    await stub.shutdown();
  }
});

Deno.test("the HTTPS stub answers 400 and 413 as the HTTP one does", {
  ignore: NO_OPENSSL !== undefined,
}, async () => {
  const tls = await makeSelfSignedCert();
  const stub = await serveStubHttps({
    mode: "serialized",
    serviceMs: [1, 1],
    maxBodyBytes: 100,
    tls,
  });
  const client = Deno.createHttpClient({ caCerts: [tls.cert] });
  try {
    const status = async (body: string) => {
      const res = await fetch(stub.url, { method: "POST", body, client });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await status("{bad"), 400);
    assert.equal(await status(JSON.stringify({ inputs: "x".repeat(200) })), 413);
    assert.equal(await status(JSON.stringify({ inputs: "fine" })), 200);
  } finally {
    client.close();
    await stub.shutdown();
  }
});

Deno.test("startStubProcess() hands the certificate over stdin and the stub serves HTTPS", {
  ignore: NO_OPENSSL !== undefined,
}, async () => {
  const tls = await makeSelfSignedCert();
  const stub = await startStubProcess(["--mode", "concurrent", "--service-ms", "1:2"], undefined, {
    tls,
  });
  const client = Deno.createHttpClient({ caCerts: [tls.cert] });
  try {
    assert.match(stub.url, /^https:/);
    const res = await fetch(stub.url, { method: "POST", body: '{"inputs":"hi"}', client });
    assert.equal(res.status, 200);
    assert.equal(typeof (await res.json()).output, "string");
    assert.deepEqual(await stub.stats(), { requests: 1, connections: 1 });
  } finally {
    client.close();
    await stub.stop();
  }
});
