/**
 * The catalogue of audit events (审计事件目录): every action that writes to the audit log is declared here,
 * once, with what it means. docs/audit-events.md lists the same catalogue for readers; a test keeps them equal.
 */
export const AUDIT_EVENTS = {
  'catalogue.item_version.created': {
    label: '新建事项指南草稿版本',
    target: 'impl_item',
    description: 'A new draft version of an implementation item’s guide was created from its latest version.',
  },
  'catalogue.item_version.published': {
    label: '发布事项指南版本',
    target: 'impl_item',
    description: 'A draft version was published; the previous published version was superseded.',
  },
  'catalogue.demo_seeded': {
    label: '写入演示目录数据',
    target: 'catalogue',
    description: 'The demo catalogue (regions, departments, items) was written by `yiwang seed` or a first start.',
  },
  'catalogue.reset': {
    label: '清空目录数据',
    target: 'catalogue',
    description: 'The catalogue was emptied by `yiwang seed --reset`.',
  },
} as const satisfies Record<string, { label: string; target: string; description: string }>;

export type AuditAction = keyof typeof AUDIT_EVENTS;
