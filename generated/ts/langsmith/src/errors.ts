// Errors a generated client throws: everything extends ClientError.
// Part of runcancel-generator's TypeScript client runtime, copied unchanged into each package; do not edit.

import { describe, type Problem } from "./validate.js";

/** Anything that went wrong in a call. */
export class ClientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request got no HTTP answer (the network failed, or the caller aborted it). */
export class TransportError extends ClientError {}

/** The request took longer than its timeout. */
export class RequestTimeoutError extends TransportError {}

/**
 * The request was refused before sending (the client's `validate` option): it does not match the operation's
 * request schema. `path` (a JSON pointer into the method's parameters object, `/body/...` for the body) and
 * `rule` (the schema keyword, such as `format` or `maxItems`) are those of the first problem.
 */
export class RequestValidationError extends ClientError {
  readonly problems: readonly Problem[];
  readonly path: string;
  readonly rule: string;

  constructor(problems: readonly Problem[]) {
    const shown = problems.slice(0, 3).map(describe).join("; ");
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : "";
    super(`the request does not match its schema: ${shown}${more}`);
    this.problems = problems;
    this.path = problems[0]?.path ?? "";
    this.rule = problems[0]?.rule ?? "";
  }
}

/**
 * The API answered with a status the call could not turn into a result.
 * `parsed` is the JSON body when the spec documents this status for the operation and the body is JSON.
 */
export class ApiError<Body = unknown> extends ClientError {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly parsed: Body | undefined;

  constructor(status: number, headers: Headers, body: string, parsed: Body | undefined, message: string) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.parsed = parsed;
  }
}

/** 400. */
export class BadRequestError<Body = unknown> extends ApiError<Body> {}
/** 401. */
export class UnauthorizedError<Body = unknown> extends ApiError<Body> {}
/** 403. */
export class ForbiddenError<Body = unknown> extends ApiError<Body> {}
/** 404. */
export class NotFoundError<Body = unknown> extends ApiError<Body> {}
/** 409. */
export class ConflictError<Body = unknown> extends ApiError<Body> {}
/** 422: the API rejected the request's content. */
export class ValidationError<Body = unknown> extends ApiError<Body> {}
/** 429. */
export class RateLimitError<Body = unknown> extends ApiError<Body> {}
/** 5xx. */
export class ServerError<Body = unknown> extends ApiError<Body> {}

type ErrorClass = new (
  status: number,
  headers: Headers,
  body: string,
  parsed: unknown,
  message: string,
) => ApiError;

const BY_STATUS: ReadonlyMap<number, ErrorClass> = new Map<number, ErrorClass>([
  [400, BadRequestError],
  [401, UnauthorizedError],
  [403, ForbiddenError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, ValidationError],
  [429, RateLimitError],
]);

/** The error class for an HTTP status. */
export function errorClass(status: number): ErrorClass {
  if (status >= 500) {
    return ServerError;
  }
  return BY_STATUS.get(status) ?? ApiError;
}
