/** What the account pages share: sending a private page, the signed-in principal, times, where to go back to. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../http/context.ts';
import type { PersonPrincipal, StaffPrincipal } from '../../access/principal.ts';
import { requirePrincipal } from '../../../http/route-access.ts';
import { UnauthenticatedError } from '../../../shared/errors.ts';
import { safeBack } from '../preferences.ts';

export type SessionPrincipal = PersonPrincipal | StaffPrincipal;

/**
 * Sends an account page. These pages carry a CSRF token or personal data: no cache may keep them, and they
 * are never sent for another visitor.
 */
export function sendPage(reply: FastifyReply, page: string, status = 200): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
}

/** The signed-in person or staff member (the route's access rule already refused machine clients). */
export async function sessionPrincipal(ctx: AppContext, req: FastifyRequest): Promise<SessionPrincipal> {
  const p = await requirePrincipal(ctx, req);
  if (p.kind === 'client') throw new UnauthenticatedError();
  return p;
}

/** The header's greeting and sign-out form for a page rendered for `p`. */
export function pageAccount(p: SessionPrincipal): { name: string; csrfToken: string } {
  return { name: p.name, csrfToken: p.csrfToken };
}

const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A time as people here read it (Beijing time): 2026-03-07 14:05. */
export function formatTime(iso: string | Date): string {
  const parts = Object.fromEntries(TIME.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The machine-readable form of a time, for <time datetime>. */
export function isoTime(iso: string | Date): string {
  return new Date(iso).toISOString();
}

export const RELATION_LABELS = { parent: '父母', guardian: '监护人', agent: '委托代理人', enterprise_agent: '企业经办人' } as const;

/** Pages that must not be gone back to after signing in (they would loop or sign out again). */
const NOT_BACK = /^\/(login|logout|register|password\/reset)(?:[/?#]|$)/;

/** A same-site path to return to after signing in, or undefined when `back` is absent or not acceptable. */
export function returnPath(back: unknown): string | undefined {
  if (typeof back !== 'string' || !back) return undefined;
  const safe = safeBack(back);
  return safe === back && !NOT_BACK.test(safe) ? safe : undefined;
}

/** Where a signed-in account lands when there is nowhere to go back to: staff at their workbench, persons at 个人中心. */
export function landingPath(kind: 'person' | 'staff', back?: string): string {
  return back ?? (kind === 'staff' ? '/admin' : '/me');
}

/**
 * The mobile number between the two steps of registration or password reset, kept in a short-lived cookie
 * scoped to that flow's pages (not in the address, which ends up in logs and history).
 */
export interface FlowCookie {
  name: string;
  path: string;
}
export const REGISTER_FLOW: FlowCookie = { name: 'yw_register_mobile', path: '/register' };
export const RESET_FLOW: FlowCookie = { name: 'yw_reset_mobile', path: '/password/reset' };
const FLOW_SECONDS = 15 * 60;

export function rememberFlowMobile(reply: FastifyReply, flow: FlowCookie, mobile: string): void {
  reply.setCookie(flow.name, mobile, { path: flow.path, maxAge: FLOW_SECONDS, httpOnly: true, sameSite: 'lax', secure: 'auto' });
}

export function flowMobile(req: FastifyRequest, flow: FlowCookie): string | undefined {
  const v = req.cookies[flow.name];
  return v && /^1[3-9]\d{9}$/.test(v) ? v : undefined;
}

export function forgetFlowMobile(reply: FastifyReply, flow: FlowCookie): void {
  reply.clearCookie(flow.name, { path: flow.path });
}

/** The hint every new-password field shows (the rule checkPasswordStrength enforces). */
export const PASSWORD_RULE = '8–64 位，不含空格；至少包含大写字母、小写字母、数字、符号中的三类；不能是常见弱密码，也不能包含您的手机号码、身份证号码或身份证号码的后六位。';
