import type { HandlingType } from './catalogue.types.ts';
import type { ProcessStep } from '../../db/schema.ts';

/** 办理流程 when an item does not describe its own. */
export function defaultSteps(handling: HandlingType): ProcessStep[] {
  if (handling === 'immediate') {
    return [
      { name: '申请', description: '申请人通过网上办事大厅或到窗口提交申请材料' },
      { name: '受理办结', description: '材料齐全、符合法定形式的，当场受理并办结' },
      { name: '送达', description: '当场领取办理结果，或选择邮寄、电子证照送达' },
    ];
  }
  return [
    { name: '申请', description: '申请人通过网上办事大厅或到窗口提交申请材料' },
    { name: '受理', description: '材料齐全、符合法定形式的予以受理；材料不齐的一次性告知需补正的全部内容' },
    { name: '审查', description: '对申请材料进行审查，需要现场核查的组织核查' },
    { name: '决定', description: '作出准予或不予的决定；不予的说明理由并告知救济途径' },
    { name: '送达', description: '送达办理结果，可选择窗口领取、邮寄或电子证照' },
  ];
}
