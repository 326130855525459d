/**
 * Typed application errors, mapped to HTTP statuses in one place (http/error-handler.ts). Every error the
 * user can see has a machine-readable code and a Chinese message; `field` names the input at fault.
 */
export type ErrorCode =
  | 'INVALID_PARAMETER'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

const STATUS: Record<ErrorCode, number> = {
  INVALID_PARAMETER: 400,
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

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; field?: string; requestId?: string };
}
