// 6. RPC overhead: Junction puts no RPC of its own in front of a chain today (users and services
// talk to anvil directly; a private chain's RPC is future work), so there is nothing to measure.

/** What the bench reports for the RPC overhead. */
export function rpcOverhead(): { applicable: false; note: string } {
  return {
    applicable: false,
    note: 'not measured: Junction has no RPC proxy of its own yet (clients and services call the chains\' anvil RPC directly; the private chain\'s RPC is future work), so the ratio is 1 by construction.',
  }
}
