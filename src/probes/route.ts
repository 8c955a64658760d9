import { z } from 'zod';
import { runCommand as defaultRunCommand, type CommandResult, type CommandRunner } from './exec.js';
import { emptyRoute, parseBsdRouteGet, parseIpJson, parseIpText, refusalOf, ROUTE_STATUSES, type ParsedRoute } from './route-parser.js';
import { IpSchema } from './target.js';
import { effectiveDeadline, probeResultSchema, startResult, TimeoutMsSchema, type Probe, type ProbeResult } from './types.js';

/**
 * Route: which way would THIS machine send packets to an address (next hop, interface, source)? It sends
 * nothing: it asks the kernel's routing table (`ip route get`, or `route -n get` on BSD/macOS). The runbook
 * compares the answer for the cloud range with the one for the VPN edge device, which tells a wrong or dead
 * next hop on this machine (internal routing) from a path that does hand the traffic to the edge.
 */

export const RouteParamsSchema = z.object({
  /** An IP literal: a route is looked up for an address, never a name. */
  target: IpSchema,
  timeoutMs: TimeoutMsSchema.default(2000),
});
export type RouteParams = z.infer<typeof RouteParamsSchema>;

export const RouteDetailSchema = z.object({
  status: z.enum(ROUTE_STATUSES),
  /** The next hop; null: on-link (directly connected) or no route. */
  gateway: z.string().nullable(),
  device: z.string().nullable(),
  source: z.string().nullable(),
  table: z.string().nullable(),
  /** The command that gave this answer, as an engineer would type it ("ip route get 10.251.0.2"). */
  command: z.string().nullable(),
  message: z.string().optional(),
});
export type RouteDetail = z.infer<typeof RouteDetailSchema>;
export const RouteResultSchema = probeResultSchema('route', RouteDetailSchema);
export type RouteResult = ProbeResult<RouteDetail, 'route'>;

export interface RouteDeps {
  runCommand?: CommandRunner;
  /** process.platform by default (tests pin it). */
  platform?: NodeJS.Platform;
}

const BSD: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'freebsd', 'openbsd', 'netbsd'] as NodeJS.Platform[]);

/** The command an engineer types on a platform to see the route (also named by findings that need it). */
export function routeCommandFor(platform: NodeJS.Platform, target: string): string {
  if (BSD.has(platform)) return `route -n get ${target}`;
  if (platform === 'win32') return `Find-NetRoute -RemoteIPAddress ${target}`;
  return `ip route get ${target}`;
}

export function createRouteProbe(deps: RouteDeps = {}): Probe<RouteParams, RouteDetail> {
  const run = deps.runCommand ?? defaultRunCommand;
  const platform = deps.platform ?? process.platform;
  const detail = (r: ParsedRoute, command: string | null): RouteDetail => ({ ...r, command });

  return {
    kind: 'route',
    paramsSchema: RouteParamsSchema,
    detailSchema: RouteDetailSchema,
    errorDetail: (message) => detail(emptyRoute('error', message), null),
    async run(params, ctx) {
      const finish = startResult('route', params.target, (d: RouteDetail) => d.status === 'routed' || d.status === 'local');
      const options = { signal: ctx.signal, deadline: effectiveDeadline(ctx, params.timeoutMs), maxOutputBytes: 64 * 1024 };
      const shown = routeCommandFor(platform, params.target);

      if (BSD.has(platform)) {
        const r = await run('route', ['-n', 'get', params.target], options);
        const parsed = notRunnable(r) ?? parseBsdRouteGet(r.stdout, r.stderr) ?? unreadable(r);
        return finish('bsd-route', detail(parsed, shown));
      }
      if (platform !== 'linux') {
        return finish('none', detail(emptyRoute('unavailable', `no route lookup on ${platform} yet: run ${shown}`), shown));
      }

      const json = await run('ip', ['-j', '-d', 'route', 'get', params.target], options);
      const failed = notRunnable(json);
      if (failed) return finish('iproute2', detail(failed, shown));
      const parsed = json.exitCode === 0 ? parseIpJson(json.stdout) : refusalOf(json.stderr);
      if (parsed) return finish('iproute2-json', detail(parsed, shown));
      if (!/unknown|usage/i.test(json.stderr)) return finish('iproute2-json', detail(unreadable(json), shown));

      // iproute2 older than JSON output (< 4.13): the text form says the same.
      const text = await run('ip', ['route', 'get', params.target], options);
      const fromText = notRunnable(text) ?? (text.exitCode === 0 ? parseIpText(text.stdout) : refusalOf(text.stderr)) ?? unreadable(text);
      return finish('iproute2', detail(fromText, shown));
    },
  };
}

/** The tool could not run, or the deadline stopped it. */
function notRunnable(r: CommandResult): ParsedRoute | null {
  if (r.spawnError) {
    return r.spawnError.code === 'ENOENT'
      ? emptyRoute('unavailable', 'no route tool installed (iproute2 `ip`, or `route` on BSD/macOS)')
      : emptyRoute('error', r.spawnError.message);
  }
  if (r.interrupted) return emptyRoute('error', 'the route lookup did not finish by its deadline');
  return null;
}

function unreadable(r: CommandResult): ParsedRoute {
  const said = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return emptyRoute('error', `could not read the route${said ? `: ${said.slice(0, 200)}` : ''}`);
}

export const routeProbe = createRouteProbe();
