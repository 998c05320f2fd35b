// 6. RPC overhead: Junction puts no RPC of its own in front of a public chain (users and services talk to
// its node directly), so there is nothing to measure there; a private chain's permissioned RPC is measured
// against its raw node by measure/prividiumProxy.ts (its own rows in the report).

/** What the bench reports for the RPC overhead. */
export function rpcOverhead(): { applicable: false; note: string } {
  return {
    applicable: false,
    note: "public chains: none to measure (clients and services call the chains' nodes directly, a ratio of 1 by construction); private chains: see the permissioned RPC rows",
  }
}
