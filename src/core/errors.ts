import type { FormErrors } from './form-errors.js';

/** A record that does not exist or that the actor may not see: both answer 404. */
export class NotFoundError extends Error {
  constructor(what = 'Page') {
    super(`${what} not found`);
  }
}

/** The actor can see the record but not do this to it. */
export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to do that') {
    super(message);
  }
}

/** A request that cannot be answered as asked: 400, with the message saying why. */
export class BadRequestError extends Error {
  readonly statusCode = 400;
}

/** Input that breaks a rule: carries the GOV.UK error summary for the form. */
export class ValidationFailed extends Error {
  constructor(readonly errors: FormErrors) {
    super(errors.summary.map((e) => e.text).join('; '));
  }
}

/**
 * A change based on a version someone else has since replaced. It is a ValidationFailed, so a
 * form shows it beside the field like any other error; callers without a form (the API) answer
 * 409 and say what happened in `detail`.
 */
export class ConflictError extends ValidationFailed {
  constructor(
    errors: FormErrors,
    readonly detail: string,
  ) {
    super(errors);
  }
}
