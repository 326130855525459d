/** Turns JSON-schema validation errors (ajv) into one Chinese message naming the field. */
interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_LABELS: Record<string, string> = {
  integer: '整数',
  number: '数字',
  string: '文本',
  boolean: '布尔值（true 或 false）',
  object: '对象',
  array: '数组',
};

export function describeValidationError(e: AjvError, context: string | undefined): { field: string; message: string } {
  const field =
    (e.params.missingProperty as string | undefined) ??
    (e.params.additionalProperty as string | undefined) ??
    (e.instancePath.replace(/^\//, '').replace(/\//g, '.') || context || 'body');
  const p = e.params;
  const label = `参数 ${field}`;
  switch (e.keyword) {
    case 'required':
      return { field, message: `缺少必填参数 ${field}` };
    case 'type':
      return { field, message: `${label} 必须是${TYPE_LABELS[String(p.type)] ?? String(p.type)}，且只能出现一次` };
    case 'maxLength':
      return { field, message: `${label} 不能超过 ${p.limit} 个字符` };
    case 'minLength':
      return { field, message: `${label} 不能少于 ${p.limit} 个字符` };
    case 'maximum':
      return { field, message: `${label} 不能大于 ${p.limit}` };
    case 'minimum':
      return { field, message: `${label} 不能小于 ${p.limit}` };
    case 'pattern':
    case 'format':
      return { field, message: `${label} 格式不正确` };
    case 'enum':
      return { field, message: `${label} 只能取以下值之一：${(p.allowedValues as unknown[]).join('、')}` };
    case 'const':
      return { field, message: `${label} 只能是 ${String(p.allowedValue)}` };
    case 'anyOf':
    case 'oneOf':
      return { field, message: `${label} 的取值不符合要求` };
    case 'additionalProperties':
      return { field, message: `不支持的参数 ${field}` };
    default:
      return { field, message: `${label} 不符合要求` };
  }
}
