/** The errors of result sets, with their Chinese messages in one place. */
import { AppError, NotFoundError } from '../../shared/errors.ts';

export const setNotFound = () => new NotFoundError('结果集不存在', 'code');
export const loadNotFound = () => new NotFoundError('该上传记录不存在', 'loadId');

export const fileTooLarge = (maxMb: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `文件过大：结果数据文件不能超过 ${maxMb} MB（同样的数据，CSV 文件比 Excel 文件小）`, 'file');

export const unsupportedFile = (message = '文件格式不受支持：只能上传 CSV（UTF-8 编码）或 Excel（.xlsx）文件') =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', message, 'file');

export const loadInProgress = () => new AppError('CONFLICT', '该结果集已有文件正在校验导入，请等待完成后再上传', 'file');

/**
 * Why a load failed as a whole (wrong encoding, missing columns, a broken file): the message is shown to the
 * department as it is. Row-level problems go to the error report instead.
 */
export class LoadFailure extends Error {}

/** The load was taken over by another server (this one stalled past the heartbeat limit): stop quietly. */
export class LoadTakenOver extends Error {}

export const NOT_UTF8 = '文件不是 UTF-8 编码（可能是 GBK/GB18030），请另存为 UTF-8 后重新上传';
