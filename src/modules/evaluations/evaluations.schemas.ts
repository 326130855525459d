/** TypeBox schemas the 好差评 API and pages share. */
import { Type } from 'typebox';

/** 办件编号, e.g. 330106-20261207-000123. */
export const ApplicationNumber = Type.String({ pattern: '^[0-9A-Za-z-]{1,40}$', description: '办件编号' });
export const NumberParams = Type.Object({ number: ApplicationNumber });
export const TaskParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1, description: '整改任务编号' }) });
