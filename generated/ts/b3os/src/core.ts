// Request building, sending with timeouts and retries, and answer parsing, shared by every operation.
// Part of runcancel-generator's TypeScript client runtime, copied unchanged into each package; do not edit.
// Only the platform's fetch, URL, Headers, AbortSignal and FormData are used: no runtime dependencies.

import { ApiError, RequestTimeoutError, RequestValidationError, TransportError, errorClass } from "./errors.js";
import { checkRequest, type RequestShape } from "./validate.js";

/** Retries on 429 and 503 (by default) with exponential backoff and jitter, honouring `Retry-After`. */
export interface RetryOptions {
  /** Every try counts, so 1 (the default) never retries. */
  readonly attempts?: number;
  /** The first backoff, in milliseconds; it doubles with each try. */
  readonly backoffMs?: number;
  /** No wait is longer than this, `Retry-After` included. */
  readonly maxDelayMs?: number;
  readonly statuses?: readonly number[];
}

/** What every client constructor takes besides its base URL and credentials. */
export interface ClientOptions {
  /** Milliseconds for each try of a request; default 30 000. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A fetch of your own (tests, proxies); default: the platform's. */
  readonly fetch?: typeof fetch;
  /**
   * Check each call's parameters and body against the operation's request schema before sending, and throw a
   * `RequestValidationError` instead of sending what the API would refuse: formats (uuid, date, date-time),
   * patterns, lengths, item counts, bounds, enums, closed objects, oneOf/anyOf. Off by default: the types
   * always hold, and the API checks again; `runcancel` turns it on.
   */
  readonly validate?: boolean;
}

/** Per-call settings: an abort signal of the caller's, and a timeout for this call alone. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** How an answer's body becomes a result: parsed JSON, nothing, text, bytes, or the response itself (streams). */
export type AnswerKind = "json" | "none" | "text" | "bytes" | "stream";

/** What a client knows of one operation. */
export interface Endpoint {
  readonly method: string;
  readonly path: string;
  readonly success: Readonly<Record<number, AnswerKind>>;
  /** Documented error statuses whose JSON body is parsed into `ApiError.parsed`. */
  readonly failures: readonly number[];
  readonly bodyMedia?: string;
  readonly bodyEncoding?: "json" | "form" | "multipart" | "raw";
  /** The parameters object's schema, as data, for the `validate` option. */
  readonly request?: RequestShape;
}

/** The inputs of one call, by where they travel (wire names). */
export interface Request {
  readonly path?: Readonly<Record<string, unknown>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_STATUSES: readonly number[] = [429, 503];

/** The first of these environment variables that holds a value, blanks and quotes around it removed. */
export function fromEnv(names: readonly string[]): string | undefined {
  // Read through globalThis so the package needs no Node type declarations and runs where there is no process.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  for (const name of names) {
    const value = (env?.[name] ?? "").trim().replace(/^["']+|["']+$/g, "");
    if (value) {
      return value;
    }
  }
  return undefined;
}

/** Seconds (or an HTTP date) of a `Retry-After` header, as milliseconds from now; undefined if unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.max(0, Number(trimmed) * 1000);
  }
  const moment = Date.parse(trimmed);
  return Number.isNaN(moment) ? undefined : Math.max(0, moment - now);
}

function plain(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  return JSON.stringify(value);
}

/** The path with each parameter filled in, percent-encoded as one segment. */
export function pathOf(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{([^{}]+)\}/g, (whole, name: string) =>
    name in values && values[name] !== undefined ? encodeURIComponent(plain(values[name])) : whole,
  );
}

/** Query parameters that were given; a list repeats its key. */
export function queryOf(values: Readonly<Record<string, unknown>>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      query.append(key, plain(item));
    }
  }
  return query;
}

function encodeBody(endpoint: Endpoint, body: unknown): { content: BodyInit; type?: string } {
  const encoding = endpoint.bodyEncoding ?? "json";
  const media = endpoint.bodyMedia ?? "application/json";
  if (encoding === "json") {
    return { content: JSON.stringify(body), type: media };
  }
  const fields = Object.entries((body ?? {}) as Record<string, unknown>).filter(
    ([, value]) => value !== undefined && value !== null,
  );
  if (encoding === "form") {
    const form = new URLSearchParams();
    for (const [key, value] of fields) {
      for (const item of Array.isArray(value) ? value : [value]) {
        form.append(key, plain(item));
      }
    }
    return { content: form, type: media };
  }
  if (encoding === "multipart") {
    // fetch sets the multipart content type itself, boundary included.
    const parts = new FormData();
    for (const [key, value] of fields) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item instanceof Blob) {
          parts.append(key, item, key);
        } else {
          parts.append(key, plain(item));
        }
      }
    }
    return { content: parts };
  }
  return { content: body as BodyInit, type: media };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    const stop = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/** One client's connection settings: base URL, credentials as headers, options. */
export class Core {
  readonly baseUrl: string;
  readonly options: ClientOptions;
  private readonly authHeaders: Readonly<Record<string, string>>;

  constructor(baseUrl: string, authHeaders: Readonly<Record<string, string>>, options: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.authHeaders = authHeaders;
    this.options = options;
  }

  /**
   * Send one call, retrying as the options say; the answer parsed as the endpoint documents it.
   * `params` is the method's parameters object as the caller gave it: what the `validate` option checks.
   */
  async call(endpoint: Endpoint, request: Request, params: unknown, options: CallOptions = {}): Promise<unknown> {
    if (this.options.validate === true && endpoint.request !== undefined) {
      const problems = checkRequest(endpoint.request, params);
      if (problems.length > 0) {
        throw new RequestValidationError(problems);
      }
    }
    const retry = this.options.retry ?? {};
    const attempts = Math.max(1, retry.attempts ?? 1);
    const statuses = retry.statuses ?? DEFAULT_RETRY_STATUSES;
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.send(endpoint, request, options);
      if (attempt < attempts && statuses.includes(response.status)) {
        await response.body?.cancel();
        await sleep(this.delay(attempt, response), options.signal);
        continue;
      }
      return this.answer(endpoint, response);
    }
  }

  private delay(attempt: number, response: Response): number {
    const retry = this.options.retry ?? {};
    const most = retry.maxDelayMs ?? 30_000;
    const after = retryAfterMs(response.headers.get("retry-after"));
    if (after !== undefined) {
      return Math.min(after, most);
    }
    const base = (retry.backoffMs ?? 500) * 2 ** (attempt - 1);
    return Math.min(base * (0.5 + Math.random() / 2), most);
  }

  private async send(endpoint: Endpoint, request: Request, options: CallOptions): Promise<Response> {
    const url = new URL(this.baseUrl + pathOf(endpoint.path, request.path ?? {}));
    url.search = queryOf(request.query ?? {}).toString();
    const headers = new Headers(this.options.headers);
    for (const [name, value] of Object.entries(this.authHeaders)) {
      headers.set(name, value);
    }
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (value !== undefined && value !== null) {
        headers.set(name, plain(value));
      }
    }
    let body: BodyInit | undefined;
    if (request.body !== undefined) {
      const encoded = encodeBody(endpoint, request.body);
      body = encoded.content;
      if (encoded.type !== undefined) {
        headers.set("content-type", encoded.type);
      }
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    const send = this.options.fetch ?? fetch;
    try {
      const init: RequestInit = { method: endpoint.method, headers, signal };
      return await send(url, body === undefined ? init : { ...init, body });
    } catch (error) {
      if (isTimeout(error) || (timeout.aborted && isTimeout(timeout.reason))) {
        throw new RequestTimeoutError(`${endpoint.method} ${endpoint.path} timed out`, { cause: error });
      }
      if (options.signal?.aborted) {
        throw error; // the caller's own abort: theirs to handle as they chose
      }
      throw new TransportError(`${endpoint.method} ${endpoint.path} failed: ${String(error)}`, { cause: error });
    }
  }

  private async answer(endpoint: Endpoint, response: Response): Promise<unknown> {
    const kind = endpoint.success[response.status];
    if (kind === undefined && response.ok && Object.keys(endpoint.success).length === 0) {
      return parseJson(await response.text());
    }
    if (kind === undefined) {
      const text = await response.text();
      const parsed = endpoint.failures.includes(response.status) ? parseJson(text) : undefined;
      const what = response.ok ? "an undocumented success status" : "an error";
      const Class = response.ok ? ApiError : errorClass(response.status);
      const message = `${endpoint.method} ${endpoint.path} answered ${response.status} (${what})${text ? `: ${text.slice(0, 200)}` : ""}`;
      throw new Class(response.status, response.headers, text, parsed, message);
    }
    switch (kind) {
      case "none":
        await response.body?.cancel();
        return undefined;
      case "text":
        return response.text();
      case "bytes":
        return new Uint8Array(await response.arrayBuffer());
      case "stream":
        return response;
      case "json":
        return parseJson(await response.text());
    }
  }
}

function parseJson(text: string): unknown {
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // not JSON after all: the text as it came
  }
}
