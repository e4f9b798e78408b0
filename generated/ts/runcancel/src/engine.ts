// The one cancel engine: turns a CancelRequest into calls of a vendor's generated client.
// Part of runcancel-generator's unified TypeScript runtime, copied unchanged into `runcancel`; do not edit.
// Each vendor module holds only a Binding: what its cancel operation can express and which client
// method and parameters carry each role. The semantics are those of the Python `runcancel` engine.

import {
  type CancelRequest,
  type CancelResult,
  type Capabilities,
  type Problem,
  RequestValidationError,
  UnsupportedCancel,
  emptyResult,
} from "./types.js";

/** A 404 or 409 for one run is that run's failure; for a batch, each run is retried alone to tell which. */
const PER_RUN_FAILURES: readonly number[] = [404, 409];

export type Role = "run_ids" | "scope" | "filter" | "status" | "action";

/** Where one cancel role travels: a parameter of the client method (its name there), or a body property (wire name). */
export interface Input {
  readonly role: "run_id" | Role;
  readonly source: "parameter" | "body";
  readonly name: string;
}

/**
 * How a vendor's answers tell which runs were cancelled:
 * `lists`: the answer lists cancelled (and failed) run ids;
 * `status`: a call about one run succeeds only if that run was cancelled, so runs are sent one per call;
 * `none`: the answer says nothing (the vendor takes unknown runs too): runs are only "accepted".
 */
export type Confirms = "lists" | "status" | "none";

/** An error the vendor's client throws for an HTTP answer: its status and parsed body. */
export interface AnswerError {
  readonly status: number;
  readonly parsed: unknown;
}

/** What one vendor's cancel can express and how it is called. */
export interface Binding {
  readonly capabilities: Capabilities;
  readonly method: string;
  readonly inputs: readonly Input[];
  readonly hasBody: boolean;
  /** The vendor client's ApiError class. */
  readonly apiError: abstract new (...args: never[]) => AnswerError;
  readonly confirms: Confirms;
  readonly cancelledList: string | null;
  readonly failedList: string | null;
  /** The status the vendor answers when a cancel by status or filter finds nothing to cancel. */
  readonly nothingStatus: number | null;
  /** Pairs of roles the vendor refuses together although its spec lets them through. */
  readonly conflicts: readonly (readonly [Role, Role])[];
  readonly scopeRequiredWithIds: boolean;
  /** The client's option for the vendor's credential. */
  readonly credential: string | null;
  /**
   * The client method's request schema check (parameters and body), to refuse what the vendor would reject
   * before sending: the problems, none when the call is fine.
   */
  readonly check: ((params: Record<string, unknown>) => readonly Problem[]) | null;
}

type Method = (params: Record<string, unknown>) => Promise<unknown>;

function givenRoles(request: CancelRequest): Set<Role> {
  const present: Record<Role, boolean> = {
    run_ids: (request.runIds ?? []).length > 0,
    scope: request.scope !== undefined,
    filter: Object.keys(request.filters ?? {}).length > 0,
    status: request.status !== undefined,
    action: request.action !== undefined,
  };
  return new Set((Object.keys(present) as Role[]).filter((role) => present[role]));
}

function words(role: Role, caps: Capabilities): string {
  const said: Partial<Record<Role, string>> = { run_ids: "run ids", scope: `a ${caps.scope ?? "scope"}`, filter: "filters" };
  return said[role] ?? `a ${role}`;
}

/** Refuse what the vendor cannot express, or refuses, before anything is sent. */
export function check(binding: Binding, request: CancelRequest): void {
  const caps = binding.capabilities;
  const vendor = caps.vendor;
  const ids = request.runIds ?? [];
  const filters = Object.keys(request.filters ?? {});
  if (ids.length > 0 && !caps.byIds) {
    throw new UnsupportedCancel(vendor, "cancel runs by id");
  }
  if (request.status !== undefined) {
    if (caps.statuses.length === 0) {
      throw new UnsupportedCancel(vendor, "cancel runs by status");
    }
    if (!caps.statuses.includes(request.status)) {
      throw new UnsupportedCancel(
        vendor,
        `cancel runs with status '${request.status}' (only ${caps.statuses.join(", ")})`,
      );
    }
    if (ids.length > 0) {
      throw new UnsupportedCancel(vendor, "combine run ids with a status");
    }
  }
  const unknown = filters.filter((name) => !caps.filters.includes(name)).sort();
  if (unknown.length > 0) {
    throw new UnsupportedCancel(vendor, `filter runs by ${unknown.join(", ")}`);
  }
  if (filters.length > 0 && ids.length > 0) {
    throw new UnsupportedCancel(vendor, "combine run ids with filters");
  }
  if (request.scope !== undefined && caps.scope === null) {
    throw new UnsupportedCancel(vendor, "limit a cancel to a scope");
  }
  if (request.action !== undefined && !caps.actions.includes(request.action)) {
    const choice = caps.actions.length > 0 ? ` (only ${caps.actions.join(", ")})` : "";
    throw new UnsupportedCancel(vendor, `cancel with action '${request.action}'${choice}`);
  }
  if (!(ids.length > 0 || request.status || filters.length > 0 || request.scope)) {
    throw new UnsupportedCancel(vendor, "cancel without saying which runs");
  }
  if (binding.scopeRequiredWithIds && ids.length > 0 && request.scope === undefined) {
    throw new UnsupportedCancel(vendor, `cancel a run without its ${caps.scope ?? "scope"}`);
  }
  const given = givenRoles(request);
  for (const [first, second] of binding.conflicts) {
    if (given.has(first) && given.has(second)) {
      throw new UnsupportedCancel(vendor, `combine ${words(first, caps)} with ${words(second, caps)}`);
    }
  }
}

/** The run ids of each call: one per run (where the vendor takes one, or only a call's status tells), or batches. */
export function chunks(binding: Binding, request: CancelRequest): string[][] {
  const ids = [...new Set(request.runIds ?? [])];
  if (ids.length === 0) {
    return [[]];
  }
  if (binding.capabilities.perRun || binding.confirms === "status") {
    return ids.map((id) => [id]);
  }
  const size = binding.capabilities.batchLimit ?? ids.length;
  const result: string[][] = [];
  for (let start = 0; start < ids.length; start += size) {
    result.push(ids.slice(start, start + size));
  }
  return result;
}

/** The client method's parameters for one call; checked against the vendor's schema unless `validate` is false. */
export function parameters(
  binding: Binding,
  request: CancelRequest,
  ids: readonly string[],
  validate: boolean = true,
): Record<string, unknown> {
  const values: Record<Input["role"], unknown> = {
    run_id: ids[0],
    run_ids: ids.length > 0 ? [...ids] : undefined,
    scope: request.scope,
    status: request.status,
    action: request.action,
    filter: undefined,
  };
  const given: Record<string, unknown> = {};
  const body: Record<string, unknown> = { ...request.filters };
  for (const input of binding.inputs) {
    const value = values[input.role];
    if (value === undefined) {
      continue;
    }
    (input.source === "parameter" ? given : body)[input.name] = value;
  }
  if (binding.hasBody) {
    given["body"] = body;
  }
  const problems = validate ? (binding.check?.(given) ?? []) : [];
  if (problems.length > 0) {
    throw new RequestValidationError(binding.capabilities.vendor, problems);
  }
  return given;
}

/** Add one answer to the result. */
export function fold(binding: Binding, result: CancelResult, ids: readonly string[], answer: unknown): void {
  result.responses.push(answer);
  if (binding.confirms === "status") {
    result.cancelled.push(...ids);
    return;
  }
  if (binding.confirms === "none") {
    result.accepted.push(...ids);
    return;
  }
  const data = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  const listed = (name: string | null): unknown[] => {
    const value = name === null ? undefined : data[name];
    return Array.isArray(value) ? value : [];
  };
  result.cancelled.push(...listed(binding.cancelledList).map(String));
  for (const runId of listed(binding.failedList)) {
    result.failed.set(String(runId), "the vendor could not cancel it");
  }
}

/** A run's failure as one line: the status and the vendor's own detail or message, where it gives one. */
export function reason(error: AnswerError): string {
  const parsed = error.parsed;
  let detail: unknown;
  if (typeof parsed === "object" && parsed !== null) {
    const fields = parsed as Record<string, unknown>;
    detail = fields["detail"] || fields["message"];
  }
  return detail ? `${error.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}` : `${error.status}`;
}

/** At most `size` holders at once; the rest wait their turn, first come first served. */
class Gate {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) {
      this.free -= 1;
    } else {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) {
        this.free += 1;
      } else {
        next(); // the place passes straight on, so the count never goes above the size
      }
    }
  }
}

type Settled = { ids: readonly string[]; answer: unknown; failure: string | null }[];

/**
 * Cancels one vendor's runs through its generated client; per-run calls go out `concurrency` at a time.
 * With `validate` (the default, as the Python `runcancel` does), every call is checked against the vendor's
 * request schema before the first is sent, and a `RequestValidationError` thrown instead of sending any.
 */
export class Canceller<Client extends object = object> {
  readonly binding: Binding;
  readonly client: Client;
  readonly concurrency: number;
  readonly validate: boolean;

  constructor(
    binding: Binding,
    client: Client,
    options: { readonly concurrency?: number; readonly validate?: boolean } = {},
  ) {
    this.binding = binding;
    this.client = client;
    this.concurrency = options.concurrency ?? 8;
    this.validate = options.validate ?? true;
  }

  /** What the vendor's cancel can express. */
  get capabilities(): Capabilities {
    return this.binding.capabilities;
  }

  /** Cancel what `request` says; throws UnsupportedCancel before sending anything it cannot. */
  async cancel(request: CancelRequest): Promise<CancelResult> {
    check(this.binding, request);
    const calls = chunks(this.binding, request).map((ids) => ({
      ids,
      given: parameters(this.binding, request, ids, this.validate),
    }));
    const gate = new Gate(this.concurrency);
    const outcomes = await Promise.all(calls.map(({ ids, given }) => this.attempt(gate, request, ids, given)));
    const result = emptyResult();
    for (const outcome of outcomes) {
      for (const { ids, answer, failure } of outcome) {
        if (failure !== null) {
          result.failed.set(ids[0] ?? "", failure);
        } else {
          fold(this.binding, result, ids, answer);
        }
      }
    }
    return result;
  }

  private async attempt(
    gate: Gate,
    request: CancelRequest,
    ids: readonly string[],
    given: Record<string, unknown>,
  ): Promise<Settled> {
    const method = (this.client as Record<string, unknown>)[this.binding.method];
    if (typeof method !== "function") {
      throw new TypeError(`the client has no method ${this.binding.method}`);
    }
    try {
      const answer = await gate.hold(() => (method as Method).call(this.client, given));
      return [{ ids, answer, failure: null }];
    } catch (error) {
      if (!(error instanceof this.binding.apiError)) {
        throw error;
      }
      if (ids.length === 0 && error.status === this.binding.nothingStatus) {
        return []; // an empty result, not an error: there was nothing to cancel
      }
      if (!PER_RUN_FAILURES.includes(error.status) || ids.length === 0) {
        throw error; // not about one run, or a cancel by status or filter with no run to pin it on
      }
      if (ids.length === 1) {
        return [{ ids, answer: undefined, failure: reason(error) }];
      }
    }
    const retried: Settled = [];
    for (const runId of ids) {
      retried.push(...(await this.attempt(gate, request, [runId], parameters(this.binding, request, [runId], this.validate))));
    }
    return retried;
  }
}
