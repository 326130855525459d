/**
 * The catalogue of audit events (审计事件目录): every action that writes to the audit log is declared here,
 * once, with what it means. docs/audit-events.md lists the same catalogue for readers; a test keeps them equal.
 */
export const AUDIT_EVENTS = {
  'catalogue.item_version.created': {
    label: '新建事项指南草稿版本',
    target: 'impl_item',
    description: `A new draft version of an implementation item's guide was created from its latest version.`,
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
  'auth.registered': {
    label: '注册自然人账号',
    target: 'account',
    description: 'A natural person registered with a verified mobile number, or from a verified OpenID Connect identity (`details.method`); the first session starts with it.',
  },
  'auth.sign_in.succeeded': {
    label: '登录成功',
    target: 'account',
    description: 'A person or staff member signed in (password or OpenID Connect); `details.method` says which.',
  },
  'auth.sign_in.failed': {
    label: '登录失败',
    target: 'account',
    description: 'A sign-in failed: wrong password, unknown or disabled account, or a lockout (`details.reason`). The target is the account when one matched, else the masked identifier.',
  },
  'auth.signed_out': {
    label: '退出登录',
    target: 'session',
    description: 'A session was ended by its owner signing out.',
  },
  'auth.code_sent': {
    label: '发送验证码',
    target: 'mobile',
    description: 'A one-time code was sent for registration or password reset (the code itself is never logged).',
  },
  'auth.password_reset': {
    label: '重置密码',
    target: 'account',
    description: 'A password was reset with a one-time code; every session of the account ended.',
  },
  'auth.password_changed': {
    label: '修改密码',
    target: 'account',
    description: 'A signed-in person or staff member changed their password; their other sessions ended.',
  },
  'auth.password_change.failed': {
    label: '修改密码失败',
    target: 'account',
    description: 'A signed-in person or staff member gave a wrong current password when changing their password (`details.reason`); the one that reached the limit locked further tries and ended every session of the account (`details.sessionsEnded`).',
  },
  'auth.session_revoked': {
    label: '注销会话',
    target: 'session',
    description: 'A session was revoked from the sessions list (by its owner).',
  },
  'auth.oidc_linked': {
    label: '关联统一身份认证账号',
    target: 'account',
    description: 'An account was linked to an external OpenID Connect identity (issuer and subject in `details`).',
  },
  'account.enterprise_registered': {
    label: '登记法人（企业）',
    target: 'enterprise',
    description: 'An enterprise was registered by its legal representative (法定代表人).',
  },
  'account.minor_added': {
    label: '添加未成年子女',
    target: 'account',
    description: 'A parent added a minor child; a parent delegation to them was created with it.',
  },
  'delegation.granted': {
    label: '授权代办',
    target: 'delegation',
    description: 'A person or enterprise granted a delegation (代办授权) to an agent, for some items or all, until a date.',
  },
  'delegation.revoked': {
    label: '撤销代办授权',
    target: 'delegation',
    description: 'A delegation was revoked; the agent loses access at once.',
  },
  'delegation.acting_started': {
    label: '开始代办',
    target: 'delegation',
    description: 'A signed-in agent started acting for a principal under a delegation.',
  },
  'delegation.acting_stopped': {
    label: '结束代办',
    target: 'delegation',
    description: 'The agent stopped acting for the principal.',
  },
  'person.record_accessed': {
    label: '查阅个人档案',
    target: 'person',
    description: 'Staff or an agent read a natural person’s record; `details.purpose` says why. The person sees these events.',
  },
  'staff.created': {
    label: '新增工作人员',
    target: 'account',
    description: 'A department administrator created a staff account.',
  },
  'staff.disabled': {
    label: '停用工作人员账号',
    target: 'account',
    description: 'A staff account was disabled; its sessions ended.',
  },
  'staff.enabled': {
    label: '启用工作人员账号',
    target: 'account',
    description: 'A disabled staff account was enabled again.',
  },
  'staff.role_granted': {
    label: '授予角色',
    target: 'account',
    description: 'A role was granted to a staff member within a department (and, if stated, the levels below).',
  },
  'staff.role_revoked': {
    label: '撤销角色',
    target: 'account',
    description: 'A role assignment was revoked.',
  },
  'client.created': {
    label: '新增接入应用',
    target: 'client',
    description: 'A machine client was created with scopes; its secret was shown once.',
  },
  'client.secret_rotated': {
    label: '轮换接入应用密钥',
    target: 'client',
    description: 'A machine client’s secret was replaced; the previous one stays valid for a grace period.',
  },
  'client.disabled': {
    label: '停用接入应用',
    target: 'client',
    description: 'A machine client was disabled; its tokens stop working.',
  },
  'client.token_issued': {
    label: '签发接入令牌',
    target: 'client',
    description: 'A machine client exchanged its credentials for an access token.',
  },
  'access.denied': {
    label: '拒绝访问',
    target: 'record',
    description: 'A signed-in principal was refused a record outside their scope.',
  },
  'client.token_refused': {
    label: '拒绝签发接入令牌',
    target: 'client',
    description: 'A token request was refused: unknown client id, wrong or expired secret, disabled client (outcome `failure`, counted towards the lockout), or scopes beyond the client’s (`denied`); `details.reason` says which. The target is the client id as sent.',
  },
  'calendar.year_set': {
    label: '设定年度工作日历',
    target: 'calendar_year',
    description: 'An administrator set or replaced a year’s statutory holidays and makeup working days (`details.holidays`, `details.workdays`, `details.notice`).',
  },
  'application.submitted': {
    label: '提交办件',
    target: 'application',
    description: 'An applicant (or an agent acting for one) submitted an application (target: the application number); `details.itemCode`, `details.departmentId`, `details.subjectType`.',
  },
  'application.transition': {
    label: '办件流转',
    target: 'application',
    description: 'A workflow action on an application: `details.action`, `details.from`, `details.to`, `details.role`, `details.version`; the reason and legal basis are on the application’s timeline.',
  },
  'application.escalated': {
    label: '超期督办',
    target: 'application',
    description: 'A background job found an open application past its deadline and escalated it to the department’s approvers (`details.dueOn`, `details.approvers`); once per application.',
  },
  'application.result_issued': {
    label: '出具办理结果',
    target: 'application_result',
    description: 'A licence, certificate or decision was issued for an application, with its verification code.',
  },
  'attachment.uploaded': {
    label: '上传申请材料',
    target: 'attachment',
    description: 'An applicant uploaded a file for a material slot; its detected type, size and SHA-256 are in `details`.',
  },
  'attachment.viewed': {
    label: '查阅申请材料',
    target: 'attachment',
    description: 'A staff member opened an applicant’s file.',
  },
  'evaluation.submitted': {
    label: '提交好差评',
    target: 'evaluation',
    description: 'An applicant rated a concluded application (一次一评); a 差评 opens a rectification task. The details carry nothing that identifies the evaluator beyond the actor.',
  },
  'rectification.transition': {
    label: '差评整改流转',
    target: 'rectification_task',
    description: 'A step of a 差评 rectification (核实 → 整改 → 反馈 → 复核): `details.action`, `details.from`, `details.to`.',
  },
  'appointment.service_saved': {
    label: '保存预约服务设置',
    target: 'appointment_service',
    description: 'A department administrator created or changed a bookable service: opening days and hours, slot length, capacity, booking window, limits (`details.changes`).',
  },
  'appointment.capacity_changed': {
    label: '调整号源',
    target: 'appointment_slot',
    description: 'A department administrator changed the places of one slot or of every slot of a day (`details.day`, `details.from`, `details.to`); never below the places already taken.',
  },
  'appointment.closure_set': {
    label: '设置临时闭馆',
    target: 'appointment_service',
    description: 'A day was closed for booking with a reason (`details.day`, `details.reason`, `details.cancelled`: the bookings cancelled with it), or reopened (`details.reopened`).',
  },
  'appointment.booked': {
    label: '预约',
    target: 'appointment_booking',
    description: 'A person booked a slot for themselves (and, for a marriage registration, named the other party); target: the booking code.',
  },
  'appointment.confirmed': {
    label: '确认预约',
    target: 'appointment_booking',
    description: 'The other party of a two-person booking signed in and confirmed; the place is held for good.',
  },
  'appointment.cancelled': {
    label: '取消预约',
    target: 'appointment_booking',
    description: 'A party cancelled a booking before the cancellation deadline, or staff cancelled it with a closure (`details.by`).',
  },
  'appointment.expired': {
    label: '预约保留到期',
    target: 'appointment_booking',
    description: 'A background job released a hold that was not confirmed by every party in time.',
  },
  'appointment.checked_in': {
    label: '预约签到',
    target: 'appointment_booking',
    description: 'A window clerk checked a booking in by its code on the day.',
  },
  'appointment.no_show': {
    label: '记录爽约',
    target: 'appointment_booking',
    description: 'A background job (or a clerk) recorded a confirmed booking whose slot ended without check-in as a no-show.',
  },
  'result_set.saved': {
    label: '保存查询结果集',
    target: 'result_set',
    description: 'A department created or changed a result set: title, columns, key columns, release time (`details.changes`).',
  },
  'result_set.load_uploaded': {
    label: '上传结果数据',
    target: 'result_load',
    description: 'A department uploaded a file of rows for a result set; it is validated and loaded in the background.',
  },
  'result_set.load_finished': {
    label: '结果数据校验完成',
    target: 'result_load',
    description: 'A load finished: `details.status` is `ready` (the set now answers from it, replacing the previous load) or `failed` with the count of bad rows and the error report.',
  },
  'result_set.published': {
    label: '发布查询结果集',
    target: 'result_set',
    description: 'A result set was published: it answers queries from its release time.',
  },
  'result_set.withdrawn': {
    label: '撤回查询结果集',
    target: 'result_set',
    description: 'A published result set was withdrawn: queries stop at once.',
  },
  'data_resource.saved': {
    label: '保存数据资源目录',
    target: 'data_resource',
    description: 'A data steward created or changed a catalogue entry (metadata, data items, share and open types, grade); each change is a new meta version (`details.version`, `details.changes`).',
  },
  'data_resource.published': {
    label: '发布数据资源目录',
    target: 'data_resource',
    description: 'A catalogue entry was published (it can be found and requested) or retired (`details.status`).',
  },
  'data_load.uploaded': {
    label: '上传数据资源文件',
    target: 'data_load',
    description: 'A data steward uploaded a file of records (`details.mode`: full replacement, upsert by key, or delete); it is validated and applied in the background.',
  },
  'data_load.finished': {
    label: '数据装载完成',
    target: 'data_load',
    description: 'A load finished: `applied` as data version `details.version` with the rows upserted and deleted, or `failed` with the count of bad rows and the error report; nothing of a failed load is applied.',
  },
  'data_load.rolled_back': {
    label: '回滚数据版本',
    target: 'data_load',
    description: 'A data steward restored the records of an earlier data version (`details.to`) as a new version (`details.version`).',
  },
  'share.requested': {
    label: '申请共享数据',
    target: 'share_request',
    description: 'A department asked for items of a resource, stating purpose, legal basis, scenario and duration; an unconditional share is granted at once (`details.granted`).',
  },
  'share.granted': {
    label: '同意共享',
    target: 'share_grant',
    description: 'A grant was made: exact consumer, items, items in clear, row filter, purpose, expiry and rate (`details`); by the provider or at once for an unconditional share.',
  },
  'share.refused': {
    label: '不予同意共享',
    target: 'share_request',
    description: 'The provider refused a request, with its reason.',
  },
  'share.withdrawn': {
    label: '撤回共享申请',
    target: 'share_request',
    description: 'The requesting department withdrew a pending request.',
  },
  'share.escalated': {
    label: '共享申请超期督办',
    target: 'share_request',
    description: 'A background job found a conditional request unanswered past its working-day limit and escalated it to the platform.',
  },
  'share.revoked': {
    label: '撤销共享授权',
    target: 'share_grant',
    description: 'The provider (or the consumer) revoked a grant, with a reason; access stops at once.',
  },
  'exchange.records_read': {
    label: '共享交换读取数据',
    target: 'data_resource',
    description: 'Evidence of one exchange call: consumer (client or department), on whose behalf, purpose, case reference, grant, record keys (hashed subjects), request id and request hash (`details`).',
  },
  'exchange.refused': {
    label: '共享交换拒绝访问',
    target: 'data_resource',
    description: 'An exchange call or a subscription was refused (outcome `denied`; `details.reason`: `no_grant`, `expired`, `revoked`, `item_not_granted`, `row_outside_filter`, `filter_not_granted`, `filter_on_masked_item`, `resource_not_shared`, `unknown_resource`, `rate_limited`); nothing was returned.',
  },
  'exchange.subscribed': {
    label: '订阅数据变更',
    target: 'data_subscription',
    description: 'A consumer subscribed to changes of a resource under a grant (webhook URL); the signing secret was shown once. Or the subscription was cancelled (`details.status`): by the consumer, or by the delivery job when the grant no longer holds (`details.reason`).',
  },
  'exchange.changes_delivered': {
    label: '推送数据变更',
    target: 'data_subscription',
    description: 'A batch of change notifications was delivered to a subscriber (`details.from`, `details.to`: event ids, `details.count`).',
  },
  'exchange.prefilled': {
    label: '免提交：共享数据填充',
    target: 'data_resource',
    description: "With the applicant's consent the platform read shared data under the handling department's grant and filled form fields or exempted materials (`details.case`: the draft or application number, `details.targets`).",
  },
  'exchange.case_linked': {
    label: '共享数据关联办件',
    target: 'application',
    description: 'An application was submitted with data obtained by sharing: the access events (`details.seqs`) are linked to its number.',
  },
  'list.draft_saved': {
    label: '编辑清单草稿',
    target: 'list_edition',
    description: 'A department opened a draft edition of a list (`details.opened`) or changed it: an entry added, changed or removed, or entries imported from a file (`details.kind`, `details.added`, `details.changed`, `details.removed`).',
  },
  'list.submitted': {
    label: '提交清单审核',
    target: 'list_edition',
    description: 'A department submitted its draft edition of a list for review (`details.note`: the revision note).',
  },
  'list.returned': {
    label: '退回清单草稿',
    target: 'list_edition',
    description: 'The reviewer returned an edition in review to its department with a comment; it is a draft again.',
  },
  'list.published': {
    label: '发布清单版本',
    target: 'list_edition',
    description: 'The reviewer published an edition: it is version `details.version` of the department’s list, replacing the previous one (which stays on record); `details.added`, `details.changed`, `details.removed` count the changes.',
  },
} as const satisfies Record<string, { label: string; target: string; description: string }>;

export type AuditAction = keyof typeof AUDIT_EVENTS;
