import { z } from 'zod';

/**
 * The Slack part of the configuration. Slack is optional: with none of the variables set, `serve` runs
 * without it. Which variables are set picks the transport:
 * - SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET: HTTP mode (Slack posts to https://HOST/slack/events);
 * - SLACK_BOT_TOKEN + SLACK_APP_TOKEN: Socket Mode (outbound WebSocket, no public URL needed).
 * Any other combination is a startup error naming the missing variable, because a half-configured
 * Slack app fails in ways that are hard to see from Slack's side (commands time out, events vanish).
 */
export type SlackConfig = SlackHttpConfig | SlackSocketConfig;

interface SlackCommonConfig {
  botToken: string;
  /** Web API base URL ending in "/" (https://slack.com/api/ unless SLACK_API_URL says otherwise). */
  apiUrl: string;
  /** Where keep-alive alerts go when the subscription named no conversation. */
  alertChannel: string | undefined;
  /**
   * SLACK_TEAM_ID: the workspaces (team ids) whose requests are answered; empty: any workspace the app is
   * installed in. Requests from another team are acknowledged, logged and otherwise ignored.
   */
  allowedTeams?: string[];
}

export interface SlackHttpConfig extends SlackCommonConfig {
  mode: 'http';
  signingSecret: string;
}

export interface SlackSocketConfig extends SlackCommonConfig {
  mode: 'socket';
  appToken: string;
  /** Not needed in Socket Mode (nothing arrives over HTTP); kept when set so switching modes is one variable. */
  signingSecret: string | undefined;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const SlackEnvSchema = z.object({
  SLACK_SIGNING_SECRET: z
    .string()
    .trim()
    .regex(/^\S{16,}$/, "must be the app's Signing Secret (Basic Information > App Credentials), at least 16 characters")
    .optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^xoxb-\S+$/, 'must be a bot token starting with "xoxb-" (OAuth & Permissions > Bot User OAuth Token)')
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .regex(/^xapp-\S+$/, 'must be an app-level token starting with "xapp-" with the connections:write scope')
    .optional(),
  SLACK_API_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://slack.com/api/' })
    .refine((u) => new URL(u).protocol === 'https:' || LOOPBACK_HOSTS.has(new URL(u).hostname), {
      message: 'must use https (plain http is only accepted for localhost, where tests run a fake Slack)',
    })
    .optional(),
  SLACK_ALERT_CHANNEL: z
    .string()
    .trim()
    .regex(/^(?:[CGD][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79})$/, 'must be a channel ID (C0123ABCD) or a #channel-name')
    .optional(),
  SLACK_TEAM_ID: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    )
    .pipe(z.array(z.string().regex(/^[TE][A-Z0-9]{4,}$/, 'must be Slack team ids (T0123ABCD) separated by commas')).min(1))
    .optional(),
});

export interface SlackEnvIssue {
  variable: string;
  message: string;
}

/** Blank values count as unset: `SLACK_APP_TOKEN=` in a .env file means "no Socket Mode", not an error. */
function withoutBlanks(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(SlackEnvSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') out[key] = value;
  }
  return out;
}

export function parseSlackEnv(env: NodeJS.ProcessEnv): { config: SlackConfig | undefined; issues: SlackEnvIssue[] } {
  const parsed = SlackEnvSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    return {
      config: undefined,
      issues: parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? 'SLACK'), message: i.message })),
    };
  }
  const e = parsed.data;
  const anySet = Object.values(e).some((v) => v !== undefined);
  if (!anySet) return { config: undefined, issues: [] };

  const issues: SlackEnvIssue[] = [];
  if (!e.SLACK_BOT_TOKEN) {
    const setOnes = Object.entries(e)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    issues.push({ variable: 'SLACK_BOT_TOKEN', message: `required when ${setOnes.join(', ')} ${setOnes.length === 1 ? 'is' : 'are'} set` });
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    issues.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: 'set it for HTTP mode (Slack posts to /slack/events), or set SLACK_APP_TOKEN for Socket Mode',
    });
  }
  if (issues.length > 0 || !e.SLACK_BOT_TOKEN) return { config: undefined, issues };

  const common: SlackCommonConfig = {
    botToken: e.SLACK_BOT_TOKEN,
    apiUrl: withTrailingSlash(e.SLACK_API_URL ?? DEFAULT_SLACK_API_URL),
    alertChannel: e.SLACK_ALERT_CHANNEL,
    allowedTeams: e.SLACK_TEAM_ID ?? [],
  };
  if (e.SLACK_APP_TOKEN) {
    return { config: { mode: 'socket', ...common, appToken: e.SLACK_APP_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET }, issues: [] };
  }
  return { config: { mode: 'http', ...common, signingSecret: e.SLACK_SIGNING_SECRET! }, issues: [] };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
