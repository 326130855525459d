/** The refusal of an exchange call outside a grant: 403 with the reason (machine-readable) and a Chinese message. */
import { AppError } from '../../shared/errors.ts';
import type { RefusalReason } from './exchange.types.ts';

export const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  no_grant: '没有该数据资源的共享授权',
  expired: '共享授权已过期或尚未生效',
  revoked: '共享授权已被撤销',
  item_not_granted: '所请求的信息项超出共享授权范围',
  row_outside_filter: '该记录不在共享授权的数据范围内',
  filter_not_granted: '查询条件只能使用已授权的信息项',
  filter_on_masked_item: '以脱敏方式共享的信息项不能作查询条件（证件号码除外）；如需按该项查询，请申请该项明文共享',
  resource_not_shared: '该数据资源未发布或不予共享',
  unknown_resource: '未找到该数据资源',
  rate_limited: '调用过于频繁，已超出共享授权的频率限制',
};

export class ExchangeRefusedError extends AppError {
  constructor(
    readonly reason: RefusalReason,
    message: string = REFUSAL_MESSAGES[reason],
    field?: string,
  ) {
    super('FORBIDDEN', message, field);
  }
}
