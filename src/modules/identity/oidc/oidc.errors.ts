/** What can go wrong in a sign-in through the identity provider, each with a message for the person. */
import { AppError } from '../../../shared/errors.ts';

/** The callback's state is unknown, used already, expired, or was started by another browser. */
export class OidcStateError extends AppError {
  constructor() {
    super('INVALID_PARAMETER', '登录请求无效或已过期（例如重复提交或超过 10 分钟），请重新登录', 'state');
  }
}

/** The provider answered with an error instead of a code (the person cancelled, or was not allowed). */
export class OidcDeniedError extends AppError {
  constructor(displayName: string, error: string) {
    super(
      'INVALID_PARAMETER',
      error === 'access_denied' ? `您没有在${displayName}页面完成授权，本站尚未登录` : `${displayName}未能完成登录（${error.slice(0, 40)}），请重新登录`,
    );
  }
}

/** The provider's answer did not check out (code used or expired, token invalid). */
export class OidcSignInFailedError extends AppError {
  constructor(displayName: string) {
    super('INVALID_PARAMETER', `${displayName}返回的登录结果无效或已过期，请重新登录`);
  }
}

/** The verified identity waiting for a link is gone (15 minutes passed, or it was used). */
export class OidcLinkExpiredError extends AppError {
  constructor(displayName: string) {
    super('INVALID_PARAMETER', `登录信息已过期，请重新使用${displayName}登录`);
  }
}

export class AccountDisabledError extends AppError {
  constructor() {
    super('FORBIDDEN', '该账号已停用，如有疑问请拨打 12345 政务服务便民热线');
  }
}
