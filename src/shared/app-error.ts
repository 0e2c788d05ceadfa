/**
 * The one error type of the application. Every failure that reaches a user carries a stable
 * UPPER_SNAKE `code`, an HTTP `status` and a human `message`; `details` carries machine-readable
 * specifics (for validation: the field and the rule). The HTTP layer renders it as RFC 9457
 * problem+json; the CLI prints `code: message`. Anything that is not an AppError is a bug and is
 * rendered as a generic 500 without internals.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = options.details;
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>): AppError =>
  new AppError(code, 400, message, details ? { details } : {});
export const unauthorized = (message = 'Authentication required'): AppError =>
  new AppError('UNAUTHENTICATED', 401, message);
export const forbidden = (message = 'You do not have permission for this action'): AppError =>
  new AppError('FORBIDDEN', 403, message);
export const notFound = (what: string): AppError => new AppError('NOT_FOUND', 404, `${what} not found`);
export const conflict = (code: string, message: string): AppError => new AppError(code, 409, message);
