/**
 * How one-time codes reach people. Deployments plug in an SMS or e-mail gateway; the default adapter writes
 * the message to the log and keeps it for the development inbox (/dev/inbox).
 */
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../../db/schema.ts';
import type { Config } from '../../../config.ts';

export interface OutboundMessage {
  channel: 'sms';
  to: string; // mobile number
  text: string;
}

export interface MessageSender {
  send(message: OutboundMessage): Promise<void>;
}

/** Default: the log and the development inbox table. */
export class InboxMessageSender implements MessageSender {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly log?: Pick<FastifyBaseLogger, 'info'>,
  ) {}

  async send(m: OutboundMessage): Promise<void> {
    await this.db.insertInto('outbound_messages').values({ channel: m.channel, destination: m.to, body: m.text }).execute();
    this.log?.info({ channel: m.channel, to: m.to }, `message: ${m.text}`);
  }
}

/** An SMS gateway reached by an HTTP POST of {channel, to, text} (JSON); any non-2xx answer is a failure. */
export class WebhookMessageSender implements MessageSender {
  constructor(private readonly url: string) {}

  async send(m: OutboundMessage): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(m),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`短信网关返回 ${res.status}`);
  }
}

export function createMessageSender(config: Config, db: Kysely<DB>, log?: Pick<FastifyBaseLogger, 'info'>): MessageSender {
  return config.messageAdapter === 'webhook' && config.messageWebhookUrl ? new WebhookMessageSender(config.messageWebhookUrl) : new InboxMessageSender(db, log);
}
