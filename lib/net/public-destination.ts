import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * Addresses an owner-given URL may not reach from our servers (server-side request forgery): this host and
 * its network, private and shared ranges, link-local (cloud metadata at 169.254.169.254), documentation,
 * benchmarking, multicast and reserved ranges, and the IPv6 forms that embed an IPv4 address (NAT64, 6to4),
 * which would otherwise carry a private one past the IPv4 rules. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)
 * meet the IPv4 rules themselves (node:net's BlockList checks them as the IPv4 address they carry).
 */
const RESERVED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  RESERVED.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 127],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  RESERVED.addSubnet(net, prefix, "ipv6");

/** Whether an IP address is one the public internet routes to (not loopback, private, link-local, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (!family) return false;
  return !RESERVED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class PrivateDestinationError extends Error {
  constructor(host: string, address: string) {
    super(
      host === address
        ? `${address} is a private or reserved address`
        : `${host} resolves to ${address}, a private or reserved address`,
    );
    this.name = "PrivateDestinationError";
  }
}

/** The URL's host when it is an IP literal that is not public (a hostname is checked when it is resolved). */
export function reservedLiteralOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) && !isPublicAddress(host) ? host : null;
}

/**
 * A `lookup` for node:http(s) and net.connect that resolves as usual and refuses the connection when any
 * address of the name is not public: the check is made on the very addresses connected to, so a name that
 * answered with a public address when saved and a private one now (DNS rebinding) is still refused.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as dns.LookupAddress[];
    const reserved = list.find((a) => !isPublicAddress(a.address));
    if (reserved) return callback(new PrivateDestinationError(hostname, reserved.address), "", 0);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
    callback(null, first.address, first.family);
  });
};
