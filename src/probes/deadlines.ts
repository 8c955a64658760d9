/**
 * The one timeout policy of a check, from the check's budget down to a single probe on an agent.
 *
 * A check has a budget B (CheckRequest.timeoutMs). Every probe gets the deadline start + B - REPORT_MARGIN_MS;
 * whoever waits for a probe allows it a little more than that, and each layer allows MORE than the layer
 * below it, so the layer that knows WHY a probe is late is the one that answers:
 *
 *   probe (own timeouts, at its deadline)
 *   < agent frees the job's slot ............ deadline + AGENT_OVERRUN_MS      (answers "timeout")
 *   < catalogue runner writes the probe off . deadline + PROBE_OVERRUN_MS
 *   < hub gives up on the agent's result .... deadline + HUB_RESULT_GRACE_MS   (answers "timeout")
 *   < another replica relaying the job ...... deadline + HUB_RESULT_GRACE_MS + REPLICA_RELAY_MS
 *   < the check writes the runner off ....... deadline + RUNNER_OVERRUN_MS     (and stops at B + RUNNER_OVERRUN_MS)
 *
 * If the hub waited longer than the check, an agent that never answers would reach the check as a
 * cancellation instead of a timeout, and the user would be told the wrong thing.
 */

/** Kept back from the check's budget for the rules and the report after the last probe. */
export const REPORT_MARGIN_MS = 100;

/**
 * On an agent: how long past a job's deadline its slot stays taken when the executor ignores the abort.
 * Probes honour their signal within a few ms; this only guards the agent's concurrency against a bug.
 */
export const AGENT_OVERRUN_MS = 250;

/** How long a probe may overrun its own deadline before the catalogue's runner stops waiting for it. */
export const PROBE_OVERRUN_MS = 1000;

/**
 * Hub: how long past a job's deadline it waits for the agent's result: the agent's own overrun plus a
 * network round trip from a customer LAN (often through a proxy) with room to spare.
 */
export const HUB_RESULT_GRACE_MS = 1000;

/**
 * With replicas (src/replicas): how much longer than the holding replica's hub the requesting replica waits
 * for the relayed outcome (two notifications through PostgreSQL). HUB_RESULT_GRACE_MS + this stays below
 * RUNNER_OVERRUN_MS, so a relayed timeout still reaches the check as a timeout.
 */
export const REPLICA_RELAY_MS = 250;

/**
 * The check: how long past a probe's deadline it waits for any runner (local or an agent through the hub)
 * before writing the probe off; also how far past the budget the whole check is stopped. Larger than the
 * hub's grace so the hub's "timeout" verdict reaches the check first.
 */
export const RUNNER_OVERRUN_MS = 1500;

/** The protocol's bounds on a job's deadline (an agent refuses anything else as malformed). */
export const JOB_DEADLINE_MIN_MS = 10;
export const JOB_DEADLINE_MAX_MS = 300_000;
