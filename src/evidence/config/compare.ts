import { members } from './algorithms.js';
import { selectorPairs } from './judge.js';
import type { ConfigAnalysis, ConfigDifference, ConfigParameter } from './model.js';

/** True when two values of one parameter cannot meet: lists share no member, single values differ. */
function differ(name: ConfigParameter['name'], a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a !== b;
  if (name === 'traffic-selectors') return selectorPairs(a).length !== selectorPairs(b).length;
  const ma = members(a);
  const mb = members(b);
  return !ma.some((x) => mb.includes(x));
}

/**
 * The parameters where the device differs from the file OutSystems sent. Tunnels are paired in order
 * (device tunnel i with OutSystems tunnel i, or its last one); a parameter only one side states is compared
 * only when the other side has a value or a documented default.
 */
export function compareConfigs(device: ConfigAnalysis, outsystems: ConfigAnalysis): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const theirTunnels = outsystems.tunnels.map((t) => t.name);
  device.tunnels.forEach((tunnel, i) => {
    const theirs = theirTunnels[Math.min(i, theirTunnels.length - 1)];
    if (theirs === undefined) return;
    const mine = device.parameters.filter((p) => p.tunnel === tunnel.name);
    const other = new Map(outsystems.parameters.filter((p) => p.tunnel === theirs).map((p) => [p.name, p]));
    for (const p of mine) {
      const o = other.get(p.name);
      if (!o) continue;
      if (differ(p.name, p.value, o.value))
        out.push({ tunnel: tunnel.name, name: p.name, device: p.value, outsystems: o.value, line: p.line, outsystemsLine: o.line });
    }
  });
  return out;
}
