import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';

export class EnterpriseAlreadyRegisteredError extends AppError {
  constructor() {
    super('CONFLICT', '该统一社会信用代码已登记，如需变更法定代表人请联系市场监管部门', 'creditCode');
  }
}

/** The agent named by name + ID number is not a registered person: one message, whichever of the two was wrong. */
export class AgentNotFoundError extends InvalidParameterError {
  constructor() {
    super('agentIdNumber', '未找到姓名与身份证号码相符的实名注册用户，请核对后重试（代办人须先注册）');
  }
}

export class MinorAlreadyHasAccountError extends AppError {
  constructor() {
    super('CONFLICT', '该身份证号码已有账号，不能重复添加；如另一位家长已添加，请由其在“我的代办”中为您授权', 'idNumber');
  }
}

export class DelegationNotFoundError extends NotFoundError {
  constructor() {
    super('未找到该授权', 'delegationId');
  }
}

export class DelegationNotActiveError extends AppError {
  constructor(message = '该授权已撤销或已过期') {
    super('CONFLICT', message, 'delegationId');
  }
}

export class PersonNotFoundError extends NotFoundError {
  constructor() {
    super('未找到该自然人档案', 'id');
  }
}
