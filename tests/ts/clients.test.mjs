// The generated TypeScript clients and `runcancel`, compiled to JS, against the generated Python mock servers.
// Driven by tests/test_typescript.py, which starts the servers, seeds their run stores and passes
// everything in RUNCANCEL_TS_FIXTURE (JSON); run with `node --test`.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

const fixture = JSON.parse(process.env.RUNCANCEL_TS_FIXTURE);
const runcancel = await import("runcancel");
const clients = Object.fromEntries(
  await Promise.all(Object.entries(fixture.vendors).map(async ([name, v]) => [name, await import(v.package)])),
);
const CONFIRMED = { cargo: false, skyvern: true, b3os: true, langsmith: true, agno: false };

function canceller(name, extra = {}) {
  const v = fixture.vendors[name];
  return runcancel.forVendor(name, { baseUrl: v.url, credential: "secret", ...extra });
}

function reported(name, result) {
  const [done, other] = CONFIRMED[name] ? [result.cancelled, result.accepted] : [result.accepted, result.cancelled];
  assert.deepEqual(other, [], `${name}: the other list stays empty`);
  return done;
}

/** A loopback server answering every request with `answer(request, count)`; closed after `body`. */
async function stub(answer, body) {
  let count = 0;
  const server = createServer((request, response) => {
    count += 1;
    request.resume();
    answer(response, count);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await body(`http://127.0.0.1:${server.address().port}`, () => count);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

for (const [name, v] of Object.entries(fixture.vendors)) {
  test(`${name}: one run`, async () => {
    const result = await canceller(name).cancel({ runIds: v.one, ...(v.scope ? { scope: v.scope } : {}) });
    assert.deepEqual(reported(name, result), v.one);
    assert.equal(result.failed.size, 0);
  });

  test(`${name}: many runs are batched or fanned out`, async () => {
    const result = await canceller(name, { concurrency: 4 }).cancel({ runIds: v.many, ...(v.scope ? { scope: v.scope } : {}) });
    assert.deepEqual([...reported(name, result)].sort(), [...v.many].sort());
    assert.equal(result.responses.length, v.expected_calls_for_many);
  });

  test(`${name}: running, finished and unknown runs`, async () => {
    const [running, finished, unknown] = v.mix;
    const result = await canceller(name).cancel({ runIds: v.mix, ...(v.scope ? { scope: v.scope } : {}) });
    assert.deepEqual(Object.fromEntries(result.failed), v.mix_failed);
    if (CONFIRMED[name]) {
      assert.deepEqual(result.cancelled, [running]);
    } else {
      assert.deepEqual(result.accepted, [running, finished, unknown]);
    }
  });

  test(`${name}: refused before sending`, async () => {
    const [request, message] = v.unsupported;
    await assert.rejects(canceller(name).cancel(request), (error) => {
      assert.ok(error instanceof runcancel.UnsupportedCancel);
      assert.equal(error.message, message);
      assert.equal(error.vendor, name);
      return true;
    });
  });

  test(`${name}: a wrong credential is a 401, typed`, async () => {
    const wrong = runcancel.forVendor(name, { baseUrl: v.url, credential: "wrong" });
    await assert.rejects(wrong.cancel({ runIds: v.one, ...(v.scope ? { scope: v.scope } : {}) }), (error) => {
      assert.ok(error instanceof clients[name].UnauthorizedError, String(error));
      assert.equal(error.status, 401);
      return true;
    });
  });

  for (const [status, className] of v.failures) {
    test(`${name}: documented ${status} is a ${className} with its body parsed`, async () => {
      await stub(
        (response) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify({ detail: "no", message: "no", code: "E", requestId: "r" }));
        },
        async (url) => {
          const client = new clients[name].Client({ baseUrl: url, [v.credential]: "secret" });
          await assert.rejects(client[v.method](v.params), (error) => {
            assert.ok(error instanceof clients[name][className], `${error}`);
            assert.ok(error instanceof clients[name].ApiError);
            assert.equal(error.status, status);
            assert.equal(error.parsed.detail, "no");
            return true;
          });
        },
      );
    });
  }

  test(`${name}: a call that outlasts its timeout is a RequestTimeoutError`, async () => {
    await stub(
      () => {}, // never answers
      async (url) => {
        const client = new clients[name].Client({ baseUrl: url, [v.credential]: "secret", timeoutMs: 150 });
        const began = Date.now();
        await assert.rejects(client[v.method](v.params), clients[name].RequestTimeoutError);
        assert.ok(Date.now() - began < 5000);
      },
    );
  });
}

test("langsmith: a status cancel that finds nothing is an empty result", async () => {
  const v = fixture.vendors.langsmith;
  const empty = runcancel.forVendor("langsmith", { baseUrl: fixture.langsmith_empty, credential: "secret" });
  const result = await empty.cancel({ status: "running" });
  assert.deepEqual([result.cancelled, result.accepted, result.failed.size], [[], [], 0]);
  const pending = await canceller("langsmith").cancel({ status: "pending" });
  assert.deepEqual([pending.cancelled, pending.failed.size, pending.responses.length], [[], 0, 1]);
  assert.ok(v);
});

test("langsmith: what the agent server refuses is refused before sending", async () => {
  const v = fixture.vendors.langsmith;
  for (const request of [{ status: "running", scope: v.scope }, { status: "running", runIds: v.one, scope: v.scope }]) {
    await assert.rejects(canceller("langsmith").cancel(request), /langsmith cannot combine/);
  }
  await assert.rejects(canceller("langsmith").cancel({ runIds: v.one }), /langsmith cannot cancel a run without its thread/);
});

test("cargo: a cancel by filter", async () => {
  const v = fixture.vendors.cargo;
  const result = await canceller("cargo").cancel({ scope: v.scope, filters: { recordId: "rec" } });
  assert.deepEqual([result.cancelled, result.failed.size, result.responses.length], [[], 0, 1]);
});

test("unknown vendors and credentials a vendor does not take are refused", () => {
  assert.throws(() => runcancel.forVendor("nope"), /unknown vendor "nope"/);
  assert.equal(runcancel.CAPABILITIES.skyvern.batchLimit, 100);
  assert.deepEqual(runcancel.CAPABILITIES.langsmith.statuses, ["pending", "running", "all"]);
});

test("retries honour Retry-After", async () => {
  const [name, v] = Object.entries(fixture.vendors).find(([, vendor]) => vendor.success_status === 200);
  await stub(
    (response, count) => {
      if (count < 3) {
        response.writeHead(429, { "retry-after": "0" });
        response.end();
      } else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      }
    },
    async (url, count) => {
      const client = new clients[name].Client({ baseUrl: url, [v.credential]: "secret", retry: { attempts: 3 } });
      await client[v.method](v.params);
      assert.equal(count(), 3);
    },
  );
  await stub(
    (response) => {
      response.writeHead(503, { "retry-after": "0" });
      response.end();
    },
    async (url, count) => {
      const client = new clients[name].Client({ baseUrl: url, [v.credential]: "secret", retry: { attempts: 2 } });
      await assert.rejects(client[v.method](v.params), clients[name].ServerError);
      assert.equal(count(), 2);
    },
  );
});

test("langsmith: a run id that is not a UUID is refused before sending, by default", async () => {
  const v = fixture.vendors.langsmith;
  await stub(
    (response) => {
      response.writeHead(v.success_status);
      response.end();
    },
    async (url, count) => {
      const langsmith = runcancel.forVendor("langsmith", { baseUrl: url, credential: "secret" });
      // One call per run: the second call's body is refused before the first call (a valid one) is sent.
      await assert.rejects(langsmith.cancel({ runIds: [v.one[0], "not-a-uuid"], scope: v.scope }), (error) => {
        assert.ok(error instanceof runcancel.RequestValidationError, String(error));
        assert.ok(error instanceof runcancel.UnsupportedCancel);
        assert.equal(error.vendor, "langsmith");
        assert.equal(error.path, "/body/run_ids/0");
        assert.equal(error.rule, "format");
        assert.equal(error.message, "langsmith cannot send this request (/body/run_ids/0: format: is not a valid uuid)");
        return true;
      });
      assert.equal(count(), 0, "the server saw no request");
      // With validation off the request goes out, and the vendor is left to refuse it.
      const unchecked = runcancel.forVendor("langsmith", { baseUrl: url, credential: "secret", validate: false });
      await unchecked.cancel({ runIds: ["not-a-uuid"], scope: v.scope });
      assert.equal(count(), 1);
    },
  );
});

test("skyvern: a list over maxItems is refused before sending", async () => {
  const v = fixture.vendors.skyvern;
  const ids = [...v.many, ...v.many].slice(0, 101).map((id, index) => `${id}-${index}`);
  await stub(
    (response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"cancelled": [], "failed": []}');
    },
    async (url, count) => {
      // runcancel batches by the vendor's limit (100), so its own calls fit; a canceller without the limit
      // would send 101 in one call, which the schema forbids: refused, nothing sent.
      const skyvern = runcancel.forVendor("skyvern", { baseUrl: url, credential: "secret" });
      const unbatched = new runcancel.Canceller(
        { ...skyvern.binding, capabilities: { ...skyvern.binding.capabilities, batchLimit: null } },
        skyvern.client,
      );
      await assert.rejects(unbatched.cancel({ runIds: ids }), (error) => {
        assert.ok(error instanceof runcancel.RequestValidationError, String(error));
        assert.deepEqual([error.path, error.rule], ["/body/run_ids", "maxItems"]);
        return true;
      });
      // The Skyvern client itself, with its validate option on, refuses the same list.
      const client = new clients.skyvern.Client({ baseUrl: url, [v.credential]: "secret", validate: true });
      await assert.rejects(client[v.method]({ body: { run_ids: ids } }), (error) => {
        assert.ok(error instanceof clients.skyvern.RequestValidationError, String(error));
        assert.deepEqual([error.path, error.rule], ["/body/run_ids", "maxItems"]);
        return true;
      });
      assert.equal(count(), 0, "the server saw no request");
      const batched = await skyvern.cancel({ runIds: ids });
      assert.equal(batched.responses.length, 2);
      assert.equal(count(), 2);
    },
  );
});
