/**
 * Where a webhook may be sent: never to this machine or the internal network (SSRF — a subscriber could otherwise
 * make the server POST to internal services and read the outcome back in lastError). An address is refused when
 * it is loopback, private, link-local, unique-local, unspecified, shared (CGNAT), multicast or reserved, in IPv4
 * or IPv6 (IPv4-mapped and NAT64 addresses are judged by the IPv4 address they carry). Checked twice: the URL when
 * subscribing (an IP literal, `localhost`), and every address the host name resolves to before each delivery.
 *
 * The address checked is also the one connected to: `pinnedFetch` resolves the host name itself when it connects
 * and refuses a blocked address there, so a name whose answer changes between the check and the connection (DNS
 * rebinding) cannot reach the internal network either.
 *
 * config.webhookAllowPrivate (YIWANG_WEBHOOK_ALLOW_PRIVATE, tests and local development only) lifts the check,
 * and then also allows plain http to this machine.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // unspecified, "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified (::), loopback (::1) and the deprecated IPv4-compatible addresses
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}
// IPv4-mapped addresses (::ffff:a.b.c.d) are checked against the IPv4 rules by BlockList itself

const nat64 = new BlockList();
nat64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The IPv4 address a NAT64 address (64:ff9b::/96) carries, else null. */
function nat64Embedded(ip: string): string | null {
  if (!nat64.check(ip, 'ipv6')) return null;
  const tail = ip.split(':').slice(-2);
  if (tail.length !== 2) return null;
  if (tail[1]!.includes('.')) return tail[1]!;
  const hi = parseInt(tail[0]! || '0', 16);
  const lo = parseInt(tail[1]! || '0', 16);
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

/** True when `ip` (an IPv4 or IPv6 address, without brackets) is one the server must not send to. */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip);
  try {
    if (family === 4) return blocked.check(ip, 'ipv4');
    if (family === 6) {
      if (ip.includes('%')) return true; // a zone index: only link-local addresses have one
      if (blocked.check(ip, 'ipv6')) return true;
      const v4 = nat64Embedded(ip);
      return v4 !== null && blocked.check(v4, 'ipv4');
    }
  } catch {
    // an address BlockList cannot read: refused below
  }
  return true; // not an address at all: refuse rather than guess
}

/** A URL's host name without IPv6 brackets or a trailing dot, lower case. */
export function bareHost(u: URL): string {
  return u.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

/** The host names this machine answers to by convention (RFC 6761): localhost and *.localhost. */
export function isLocalName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** A URL's host refused before any name is resolved: an IP literal in a blocked range, or localhost. */
export function isBlockedHost(u: URL): boolean {
  const host = bareHost(u);
  return isLocalName(host) || (isIP(host) !== 0 && isBlockedAddress(host));
}

export type Lookup = (host: string) => Promise<{ address: string }[]>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Before a delivery: the reason not to send to `url` (in Chinese, for lastError — it names no address, so it tells
 * nothing of the internal network), or null when every address its host resolves to may be sent to.
 */
export async function webhookAddressProblem(url: string, lookup: Lookup = systemLookup): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '推送地址格式不正确';
  }
  if (isBlockedHost(u)) return BLOCKED_MESSAGE;
  const host = bareHost(u);
  let addresses: { address: string }[];
  try {
    addresses = isIP(host) ? [{ address: host }] : await lookup(host);
  } catch {
    return '无法解析推送地址的主机名';
  }
  if (!addresses.length) return '无法解析推送地址的主机名';
  if (addresses.some((a) => isBlockedAddress(a.address))) return BLOCKED_MESSAGE;
  return null;
}

/** The code of the error a connection to a blocked address fails with (the message is for lastError). */
export const BLOCKED_ADDRESS = 'EYIWANG_BLOCKED_ADDRESS';
export const BLOCKED_MESSAGE = '推送地址指向本机或内部网络，已拒绝推送';

/** A connection's name lookup (net.connect's `lookup` option) that resolves with `resolve` and refuses blocked addresses. */
function guardedLookup(resolve: Lookup) {
  return (host: string, options: LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    resolve(host).then(
      (found) => {
        const addresses = found.map((a) => ({ address: a.address, family: isIP(a.address) }));
        if (!addresses.length || addresses.some((a) => a.family === 0 || isBlockedAddress(a.address))) {
          callback(Object.assign(new Error(BLOCKED_MESSAGE), { code: BLOCKED_ADDRESS }), '');
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) callback(null, wanted);
        else if (wanted[0]) callback(null, wanted[0].address, wanted[0].family);
        else callback(Object.assign(new Error(`no IPv${options.family} address`), { code: 'ENOTFOUND' }), '');
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

let systemAgent: Agent | undefined;

/** fetch through connections that only ever reach addresses `isBlockedAddress` allows (resolved by `resolve`). */
export function pinnedFetch(resolve?: Lookup): typeof fetch {
  const agent = resolve ? new Agent({ connect: { lookup: guardedLookup(resolve) } }) : (systemAgent ??= new Agent({ connect: { lookup: guardedLookup(systemLookup) } }));
  // undici's own fetch, as global fetch is, with this agent as its dispatcher
  return ((input: string | URL, init?: RequestInit) => undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
}

/** Did a fetch fail because the connection's address was refused? */
export function isBlockedConnection(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === BLOCKED_ADDRESS) return true;
  }
  return false;
}
