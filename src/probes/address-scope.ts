import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * Is an answer a private address (reachable only over the VPN or inside a network) or a public one?
 * This is the test the guide asks for after `nslookup`: over the VPN an environment name must resolve to
 * a private address. Documentation and benchmarking ranges count as public: they are not private
 * address space (and labs use them to stand in for the internet).
 */

export const ADDRESS_RANGES = ['rfc1918', 'cgnat', 'loopback', 'link-local', 'unique-local', 'unspecified', 'public'] as const;
export type AddressRange = (typeof ADDRESS_RANGES)[number];
export type AddressScope = 'private' | 'public';

export const AddressScopeSchema = z.enum(['private', 'public']);
export const AddressRangeSchema = z.enum(ADDRESS_RANGES);

const RANGES: [AddressRange, 'ipv4' | 'ipv6', string, number][] = [
  ['rfc1918', 'ipv4', '10.0.0.0', 8],
  ['rfc1918', 'ipv4', '172.16.0.0', 12],
  ['rfc1918', 'ipv4', '192.168.0.0', 16],
  ['cgnat', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv6', '::1', 128],
  ['unspecified', 'ipv6', '::', 128],
  ['unique-local', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
];

const lists = new Map<AddressRange, BlockList>();
for (const [range, family, net, prefix] of RANGES) {
  let list = lists.get(range);
  if (!list) lists.set(range, (list = new BlockList()));
  list.addSubnet(net, prefix, family);
}

/** Which special range an address is in; 'public' when none. IPv4-mapped IPv6 is judged as its IPv4. */
export function addressRange(address: string): AddressRange {
  let ip = address;
  let family = isIP(ip);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) {
    ip = mapped[1]!;
    family = 4;
  }
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [range, list] of lists) {
    if (list.check(ip, type)) return range;
  }
  return 'public';
}

export function addressScope(address: string): AddressScope {
  return addressRange(address) === 'public' ? 'public' : 'private';
}
