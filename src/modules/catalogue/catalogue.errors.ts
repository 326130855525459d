import { AppError, NotFoundError } from '../../shared/errors.ts';

export class ItemNotFoundError extends NotFoundError {
  constructor(code: string) {
    super(`未找到编码为 ${code} 的已发布事项`, 'code');
  }
}

export class VersionNotFoundError extends NotFoundError {
  constructor(code: string, version: number) {
    super(`事项 ${code} 没有第 ${version} 版`, 'version');
  }
}

export class VersionStateError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message, 'version');
  }
}
