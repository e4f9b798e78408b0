// The TypeScript request validator: each rule kind through a generated client with `validate` on (nothing is
// sent when a rule is broken), and its verdicts against the generator's own validator on generated payloads.
// Driven by tests/test_typescript.py, which generates and compiles the fixture client (tests/fixtures/specs/
// validation.yaml) and writes the payloads; RUNCANCEL_TS_VALIDATION names both (JSON); run with `node --test`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const setup = JSON.parse(process.env.RUNCANCEL_TS_VALIDATION);
const pkg = await import(setup.client);

const ID = "0b6f1e52-3c1e-4a8e-9d3b-2f7e8c9a1b2c";
const ITEM = { name: "abc", kind: "item", tags: ["a"] };
const VALID = { itemId: ID, limit: 5, xMode: "fast", body: ITEM };

/** A client whose fetch counts what it is asked to send and answers with the documented success. */
function counting(validate = true) {
  const sent = [];
  const fetch = async (url, init) => {
    sent.push([String(url), init]);
    return new Response(null, { status: String(url).endsWith("/cancel") ? 204 : 200 });
  };
  return { client: new pkg.Client({ fetch, validate }), sent };
}

async function refused(params, path, rule, method = "putItem") {
  const { client, sent } = counting();
  await assert.rejects(client[method](params), (error) => {
    assert.ok(error instanceof pkg.RequestValidationError, String(error));
    assert.ok(error instanceof pkg.ClientError);
    assert.equal(error.path, path, error.message);
    assert.equal(error.rule, rule, error.message);
    assert.ok(error.message.includes(`${path}: ${rule}:`), error.message);
    return true;
  });
  assert.equal(sent.length, 0, "nothing is sent");
}

test("a valid request is sent", async () => {
  const { client, sent } = counting();
  await client.putItem(VALID);
  await client.putItem({ ...VALID, body: { ...ITEM, count: 10, ratio: 0.5, note: null, meta: { a: true }, either: 3 } });
  await client.cancel({ body: { status: "pending" } });
  await client.cancel({ body: { thread_id: ID, run_ids: [ID] } });
  assert.equal(sent.length, 4);
});

test("validation off (the clients' default) sends what the types allow", async () => {
  const { client, sent } = counting(false);
  await client.putItem({ ...VALID, itemId: "not-a-uuid" });
  const plain = new pkg.Client({ fetch: async () => new Response(null, { status: 200 }) });
  await plain.putItem({ ...VALID, itemId: "not-a-uuid" });
  assert.equal(sent.length, 1);
});

const RULES = [
  ["required (body property)", { ...VALID, body: { name: "abc", kind: "item" } }, "/body/tags", "required"],
  ["required (parameter)", { limit: 5, body: ITEM }, "/itemId", "required"],
  ["required (body)", { itemId: ID }, "/body", "required"],
  ["type", { ...VALID, limit: "5" }, "/limit", "type"],
  ["type (integer)", { ...VALID, body: { ...ITEM, count: 5.5 } }, "/body/count", "type"],
  ["null where not nullable", { ...VALID, body: { ...ITEM, day: null } }, "/body/day", "type"],
  ["enum", { ...VALID, xMode: "medium" }, "/xMode", "enum"],
  ["const", { ...VALID, body: { ...ITEM, kind: "thing" } }, "/body/kind", "const"],
  ["format uuid", { ...VALID, itemId: "123" }, "/itemId", "format"],
  ["format date", { ...VALID, body: { ...ITEM, day: "2023-02-29" } }, "/body/day", "format"],
  ["format date-time", { ...VALID, body: { ...ITEM, at: "2024-01-01 10:00:00" } }, "/body/at", "format"],
  ["pattern", { ...VALID, body: { ...ITEM, name: "ABC" } }, "/body/name", "pattern"],
  ["pattern ($ is the end)", { ...VALID, body: { ...ITEM, name: "abc\nd" } }, "/body/name", "pattern"],
  ["minLength", { ...VALID, body: { ...ITEM, name: "a" } }, "/body/name", "minLength"],
  ["maxLength", { ...VALID, body: { ...ITEM, name: "abcdefghi" } }, "/body/name", "maxLength"],
  ["minItems", { ...VALID, body: { ...ITEM, tags: [] } }, "/body/tags", "minItems"],
  ["maxItems", { ...VALID, body: { ...ITEM, tags: ["a", "b", "c", "d"] } }, "/body/tags", "maxItems"],
  ["uniqueItems", { ...VALID, body: { ...ITEM, tags: ["a", "b", "a"] } }, "/body/tags/2", "uniqueItems"],
  ["minimum", { ...VALID, limit: 0 }, "/limit", "minimum"],
  ["maximum", { ...VALID, limit: 51 }, "/limit", "maximum"],
  ["exclusiveMinimum", { ...VALID, body: { ...ITEM, count: 0 } }, "/body/count", "exclusiveMinimum"],
  ["multipleOf", { ...VALID, body: { ...ITEM, count: 7 } }, "/body/count", "multipleOf"],
  ["maximum (number)", { ...VALID, body: { ...ITEM, ratio: 1.5 } }, "/body/ratio", "maximum"],
  ["closed object", { ...VALID, body: { ...ITEM, colour: "red" } }, "/body/colour", "additionalProperties"],
  ["__proto__ is a property like any other", { ...VALID, body: JSON.parse('{"name":"abc","kind":"item","tags":["a"],"__proto__":1}') }, "/body/__proto__", "additionalProperties"],
  ["additionalProperties schema", { ...VALID, body: { ...ITEM, meta: { a: 1 } } }, "/body/meta/a", "type"],
  ["minProperties", { ...VALID, body: { ...ITEM, meta: {} } }, "/body/meta", "minProperties"],
  ["anyOf", { ...VALID, body: { ...ITEM, either: "x" } }, "/body/either", "anyOf"],
];
for (const [name, params, path, rule] of RULES) {
  test(`refused before sending: ${name}`, () => refused(params, path, rule));
}

test("oneOf: the form the request was meant for explains the refusal", async () => {
  await refused({ body: { thread_id: ID, run_ids: ["nope"] } }, "/body/run_ids/0", "format", "cancel");
  await refused({ body: { status: "done" } }, "/body/status", "enum", "cancel");
  await refused({ body: {} }, "/body", "oneOf", "cancel");
});

test("oneOf: two forms at once name what cannot go together", async () => {
  const { client, sent } = counting();
  await assert.rejects(client.cancel({ body: { status: "pending", thread_id: ID, run_ids: [ID] } }), (error) => {
    assert.equal(error.rule, "oneOf");
    assert.match(error.message, /matches more than one of "status", "thread_id\+run_ids": "thread_id", "run_ids" cannot/);
    return true;
  });
  assert.equal(sent.length, 0);
});

test("every problem is listed, not only the first", () => {
  const problems = pkg.checkRequest(pkg.shapes.putItem, { itemId: "x", limit: 99, body: { ...ITEM, name: "ABC" } });
  assert.deepEqual(
    problems.map((p) => [p.path, p.rule]),
    [["/itemId", "format"], ["/limit", "maximum"], ["/body/name", "pattern"]],
  );
});

test("the verdicts agree with the generator's validator", () => {
  const suites = JSON.parse(readFileSync(setup.cases, "utf-8"));
  let checked = 0;
  const disagreements = [];
  for (const suite of suites) {
    for (const [index, payload, expected] of suite.cases) {
      const verdict = pkg.matches(suite.shapes[index], payload, suite.defs);
      const listed = pkg.findProblems(suite.shapes[index], payload, suite.defs).length === 0;
      if (verdict !== expected || listed !== expected) {
        disagreements.push(`${suite.name}#${index}: expected ${expected} for ${JSON.stringify(payload)}`);
      }
      checked += 1;
    }
  }
  assert.deepEqual(disagreements.slice(0, 10), []);
  assert.equal(checked, setup.expected_cases);
});
