// The vendor-neutral cancel request and result.
// Part of runcancel-generator's unified TypeScript runtime, copied unchanged into `runcancel`; do not edit.

/**
 * Which runs to cancel, said once for every vendor.
 * `runIds`: the runs. `scope`: what they belong to (a workflow, a thread), where the vendor needs it.
 * `status`: cancel every run with this status instead. `filters`: vendor-specific filter fields, by the
 * vendor's names. `action`: how to cancel, where the vendor offers a choice.
 */
export interface CancelRequest {
  readonly runIds?: readonly string[];
  readonly scope?: string;
  readonly status?: string;
  readonly filters?: Readonly<Record<string, unknown>>;
  readonly action?: string;
}

/**
 * What happened, as far as the vendor's answers tell.
 * `cancelled`: runs the vendor confirmed cancelled. `accepted`: runs it took without saying what it did.
 * `failed`: runs it refused, with its reason. `responses`: the raw answers. A cancel by status or filter
 * lists runs only where the vendor's answer names them.
 */
export interface CancelResult {
  readonly cancelled: string[];
  readonly accepted: string[];
  readonly failed: Map<string, string>;
  readonly responses: unknown[];
}

/** What a vendor's cancel endpoint can express. */
export interface Capabilities {
  readonly vendor: string;
  readonly byIds: boolean;
  readonly perRun: boolean;
  readonly statuses: readonly string[];
  readonly filters: readonly string[];
  readonly scope: string | null;
  readonly batchLimit: number | null;
  readonly actions: readonly string[];
}

/** The vendor cannot express this request; thrown before anything is sent. */
export class UnsupportedCancel extends Error {
  readonly vendor: string;
  readonly what: string;

  constructor(vendor: string, what: string) {
    super(`${vendor} cannot ${what}`);
    this.name = "UnsupportedCancel";
    this.vendor = vendor;
    this.what = what;
  }
}

/** One reason a request was refused: where (a JSON pointer into the client method's parameters), which rule, what. */
export interface Problem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * The request the vendor's cancel would be sent does not match the vendor's request schema (a run id that is not
 * a UUID where the spec says uuid, too many run ids for one call, ...); thrown before anything is sent.
 * `path` and `rule` are those of the first problem, as in `/body/run_ids/0` and `format`.
 */
export class RequestValidationError extends UnsupportedCancel {
  readonly problems: readonly Problem[];
  readonly path: string;
  readonly rule: string;

  constructor(vendor: string, problems: readonly Problem[]) {
    const first = problems[0];
    super(vendor, `send this request (${first ? `${first.path || "/"}: ${first.rule}: ${first.message}` : "refused"})`);
    this.name = "RequestValidationError";
    this.problems = problems;
    this.path = first?.path ?? "";
    this.rule = first?.rule ?? "";
  }
}

/** An empty result, to fill. */
export function emptyResult(): CancelResult {
  return { cancelled: [], accepted: [], failed: new Map(), responses: [] };
}
