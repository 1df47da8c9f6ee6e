// Network address helpers shared by the doors: which bind addresses and host names only this machine
// can reach (loopback), and matching a peer address against a list of addresses and CIDR ranges
// (TRUSTED_PROXY_ADDRESSES). IPv4-mapped IPv6 peers (`::ffff:10.0.0.1`) match their IPv4 entries.
import net from 'node:net';

const loopbackNames = new Set(['localhost', '::1', '[::1]', '::ffff:127.0.0.1', '[::ffff:127.0.0.1]']);

/** True for a bind address or host name only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const trimmed = host.trim().toLowerCase();
  return loopbackNames.has(trimmed) || trimmed.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(trimmed);
}

/** The host name of a Host header or URL authority (`example.org:8080` → `example.org`, `[::1]:80` → `[::1]`). */
export function hostNameOf(authority: string): string {
  const trimmed = authority.trim().toLowerCase();
  if (trimmed.startsWith('[')) {
    const end = trimmed.indexOf(']');
    return end === -1 ? trimmed : trimmed.slice(0, end + 1);
  }
  const colon = trimmed.lastIndexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

/** The default for TRUSTED_PROXY_ADDRESSES: this machine only. */
export const loopbackRanges = ['127.0.0.0/8', '::1'];

/** Why an address list entry is unusable, or undefined when it is an IP address or CIDR range. */
export function addressRangeProblem(entry: string): string | undefined {
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return `"${entry}" must be an IP address or a CIDR range such as 10.0.0.0/8`;
  if (prefix !== undefined) {
    const bits = Number(prefix);
    const maximum = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || bits > maximum) return `"${entry}" has an invalid prefix length (0-${maximum})`;
  }
  return undefined;
}

export interface AddressMatcher {
  /** True when the peer address (as node reports it) is in one of the ranges. */
  matches(address: string | undefined): boolean;
}

/** Builds a matcher for entries already checked with addressRangeProblem. */
export function createAddressMatcher(entries: readonly string[]): AddressMatcher {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return {
    matches(address) {
      if (address === undefined || address === '') return false;
      const type = net.isIPv6(address) ? 'ipv6' : net.isIPv4(address) ? 'ipv4' : undefined;
      return type !== undefined && list.check(address, type);
    },
  };
}
