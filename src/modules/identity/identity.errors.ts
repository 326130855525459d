import { AppError, InvalidParameterError } from '../../shared/errors.ts';

/** One message for every failed sign-in: it never says whether the account exists. */
export class InvalidCredentialsError extends AppError {
  constructor() {
    super('UNAUTHENTICATED', '账号或密码不正确', 'password');
  }
}

/** Wrong, expired, used-up or replayed one-time code: the same message for each. */
export class InvalidCodeError extends InvalidParameterError {
  constructor() {
    super('code', '验证码错误或已失效，请重新获取');
  }
}

export class AlreadyRegisteredError extends AppError {
  constructor(field: 'idNumber' | 'mobile') {
    super('CONFLICT', field === 'idNumber' ? '该身份证号码已注册，如忘记密码请使用“找回密码”' : '该手机号码已注册，如忘记密码请使用“找回密码”', field);
  }
}
