import type { TeamsConfig } from '../../src/config/env.js';

export class TeamsConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Checks the combinations botbuilder would otherwise reject with an assertion deep inside its
 * constructor (or, worse, accept and fail on the first reply), naming the variable to fix.
 */
export function checkTeamsConfig(c: TeamsConfig): void {
  if (!c.appId) return;
  if (c.appType === 'UserAssignedMSI') {
    if (!c.tenantId) throw new TeamsConfigError('MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI');
    if (c.appPassword) throw new TeamsConfigError('MicrosoftAppPassword must not be set when MicrosoftAppType is UserAssignedMSI');
    return;
  }
  if (!c.appPassword) throw new TeamsConfigError(`MicrosoftAppPassword is required when MicrosoftAppId is set (MicrosoftAppType ${c.appType})`);
  if (c.appType === 'SingleTenant' && !c.tenantId) throw new TeamsConfigError('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant');
}

/** Without authentication the service URL of an activity is unverified input: only talk back to this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
