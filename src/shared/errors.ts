/**
 * Typed application errors, mapped to HTTP statuses in one place (http/error-handler.ts). Every error the
 * user can see has a machine-readable code and a Chinese message; `field` names the input at fault.
 */
export type ErrorCode =
  | 'INVALID_PARAMETER'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_REJECTED'
  | 'NOT_RELEASED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

const STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_RELEASED: 403, // a result set before its release time (nobody may query it yet)
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, field?: string) {
    super('NOT_FOUND', message, field);
  }
}

export class InvalidParameterError extends AppError {
  constructor(field: string, message: string) {
    super('INVALID_PARAMETER', message, field);
  }
}

/** No valid session or token: sign in first (401). */
export class UnauthenticatedError extends AppError {
  constructor(message = '请先登录') {
    super('UNAUTHENTICATED', message);
  }
}

/** Signed in, but not allowed to do this here (403). Deny by default. */
export class ForbiddenError extends AppError {
  constructor(message = '您没有执行此操作的权限') {
    super('FORBIDDEN', message);
  }
}

/** A rate limit or a temporary lockout (429). */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** Several inputs at fault at once (a whole form): the first names the error, `errors` lists every one. */
export class FieldErrorsError extends AppError {
  constructor(readonly errors: { field: string; code?: string; message: string }[]) {
    super('INVALID_PARAMETER', errors[0]?.message ?? '输入有误', errors[0]?.field);
  }
}

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; field?: string; requestId?: string; errors?: { field: string; code?: string; message: string }[] };
}
