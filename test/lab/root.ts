/** The lab needs root: network namespaces, veths, iptables, strongSwan. Elsewhere it is skipped, loudly. */
export const isRoot = (): boolean => process.getuid?.() === 0;

export const NOT_ROOT_MESSAGE =
  'lab: SKIPPED - the network lab needs root (network namespaces, iptables, strongSwan). ' + 'Run it as root: sudo npm run test:lab';
