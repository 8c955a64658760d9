import { CloseCode } from './protocol.js';

/**
 * The hub refused this agent for a reason that retrying cannot fix (revoked, unknown or mismatched token,
 * a protocol it does not speak). The agent stops and says so, instead of retrying forever while a service
 * manager shows it as running.
 */
export class AgentRefusedError extends Error {
  override name = 'AgentRefusedError';
}

/** The process exit code of a refused agent (EX_CONFIG): a systemd unit stops restarting on it. */
export const AGENT_REFUSED_EXIT_CODE = 78;

/** The close codes a retry cannot fix, in words; null for everything else (hub restarting, network). */
export function permanentRefusal(code: number, reason: string): string | null {
  switch (code) {
    case CloseCode.revoked:
      return "the agent's token was revoked (issue a new one with `vpn-doctor agents add`)";
    case CloseCode.nameMismatch:
      return `${reason || 'the token was issued for another agent name'} (use the --name the token was issued for)`;
    case CloseCode.unsupportedVersion:
      return `${reason || 'the hub does not speak this agent protocol'} (upgrade the agent or the hub)`;
    default:
      return null;
  }
}
