import { formatEther, type Address } from 'viem'
import { JunctionError } from './JunctionError.js'

/** Where a node was named: `--l1`, `--gateway`, or `--chain <name>`. */
export type NodeRole = 'l1' | 'gateway' | 'chain'

/**
 * A node given by URL (`junction deploy --l1 URL --chain name=URL`) did not answer `eth_chainId`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NodeUnreachableError) console.error(`${e.chainName} is down at ${e.url}`) }
 * ```
 */
export class NodeUnreachableError extends JunctionError {
  override name = 'NodeUnreachableError'
  readonly chainName: string
  readonly url: string
  constructor(parameters: { chainName: string; url: string; timeoutMs: number; cause?: unknown }) {
    super(`${parameters.chainName}: no node answered eth_chainId at ${parameters.url} within ${parameters.timeoutMs} ms`, {
      details: [
        'Junction does not start these nodes: start the node first, then deploy onto it.',
        'Check the URL (scheme, host, port) and that the node serves HTTP JSON-RPC there.',
      ].join('\n'),
      cause: parameters.cause,
    })
    this.chainName = parameters.chainName
    this.url = parameters.url
  }
}

/**
 * A node answered with another chain id than the one expected: the one given (`chain-id=N`), or the one
 * the network's manifest records for it (the node at that URL is not the chain Junction deployed onto).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ChainIdMismatchError) console.error(e.expected, e.actual) }
 * ```
 */
export class ChainIdMismatchError extends JunctionError {
  override name = 'ChainIdMismatchError'
  readonly chainName: string
  readonly expected: number
  readonly actual: number
  constructor(parameters: { chainName: string; url: string; expected: number; actual: number; expectedFrom: string }) {
    super(`${parameters.chainName}: the node at ${parameters.url} is chain ${parameters.actual}, ${parameters.expectedFrom} says ${parameters.expected}`, {
      details: 'Point the URL at the right node, or correct the expected chain id.',
    })
    this.chainName = parameters.chainName
    this.expected = parameters.expected
    this.actual = parameters.actual
  }
}

/**
 * Two nodes of one network share a name, a URL or a chain id: every chain needs a node of its own, and
 * its chain id is its address in every message (ERC-7930).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DuplicateNodeError) console.error(e.what, e.value) }
 * ```
 */
export class DuplicateNodeError extends JunctionError {
  override name = 'DuplicateNodeError'
  readonly what: 'name' | 'url' | 'chain id'
  readonly value: string
  constructor(parameters: { what: 'name' | 'url' | 'chain id'; value: string; chains: readonly string[] }) {
    super(`${parameters.chains.join(' and ')} have the same ${parameters.what} ${parameters.value}`, {
      details:
        parameters.what === 'name'
          ? 'Give each chain its own name.'
          : 'Every chain (the L1, the Gateway and each ZK chain) needs a node of its own, with its own chain id: start one node per chain.',
    })
    this.what = parameters.what
    this.value = parameters.value
  }
}

/**
 * The L1 or the Gateway has a chain id the development verifier refuses (`DevelopmentVerifier.isDevelopmentChain`:
 * 1337, 31337 to 31346): the contracts would deploy, but no batch could ever be proven there, so nothing
 * would ever settle.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NotADevelopmentChainError) console.error(e.chainId) }
 * ```
 */
export class NotADevelopmentChainError extends JunctionError {
  override name = 'NotADevelopmentChainError'
  readonly chainName: string
  readonly chainId: number
  constructor(parameters: { chainName: string; chainId: number; role: 'the L1' | 'the Gateway' }) {
    super(`${parameters.chainName} is chain ${parameters.chainId}: ${parameters.role} must have a development chain id (1337, or 31337 to 31346)`, {
      details: [
        'Batches are accepted by a DEVELOPMENT verifier (not a zero-knowledge proof), which refuses to run on any other chain id,',
        'so on this chain no batch could ever be proven. Start the node with a development chain id (anvil --chain-id 31337;',
        'for the Gateway, its genesis: junction genesis --chain-id 31338). ZK chains settling on them may have any chain id.',
      ].join('\n'),
    })
    this.chainName = parameters.chainName
    this.chainId = parameters.chainId
  }
}

/** One account the L1 must fund, with what it holds and what it needs. */
export type UnfundedAccount = { role: string; address: Address; balance: bigint; needs: bigint }

/**
 * Accounts Junction signs with on L1 hold less ETH than they need: the L1 deployer (deploys the
 * settlement-layer contracts), the relayer (executes bundles to L1, keeps the ledger), the operators
 * (settle their chains' batches on L1) and the dev users (their ETH deposits to every ZK chain).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof L1AccountsNotFundedError) for (const a of e.accounts) console.error(a.role, a.address) }
 * ```
 */
export class L1AccountsNotFundedError extends JunctionError {
  override name = 'L1AccountsNotFundedError'
  readonly accounts: readonly UnfundedAccount[]
  constructor(parameters: { chainName: string; accounts: readonly UnfundedAccount[] }) {
    const lines = parameters.accounts.map((a) => `  ${a.role.padEnd(22)} ${a.address} holds ${formatEther(a.balance)} ETH, needs ${formatEther(a.needs)}`)
    super(`${parameters.accounts.length} account(s) Junction signs with on ${parameters.chainName} hold too little ETH`, {
      details: [
        ...lines,
        '',
        'They are the accounts of the development mnemonic (test test … junk). Fund them on the L1, or start a',
        'development L1 that funds them: anvil --accounts 20 (the operators are accounts 10 and up).',
      ].join('\n'),
    })
    this.accounts = parameters.accounts
  }
}

/**
 * A data dir already holds a network (its manifest or its store): a new deployment is never written over it.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NetworkAlreadyInDataDirError) console.error(e.dataDir) }
 * ```
 */
export class NetworkAlreadyInDataDirError extends JunctionError {
  override name = 'NetworkAlreadyInDataDirError'
  readonly dataDir: string
  constructor(parameters: { dataDir: string; found: readonly string[] }) {
    super(`${parameters.dataDir} already holds a network (${parameters.found.join(', ')})`, {
      details: [
        `To run its services again: junction up --data-dir ${parameters.dataDir} (or junction services --data-dir ${parameters.dataDir}).`,
        'To deploy a new network: use another --data-dir, onto fresh nodes (Junction deploys from accounts that have sent nothing yet).',
      ].join('\n'),
    })
    this.dataDir = parameters.dataDir
  }
}

/**
 * A node of a network on nodes Junction did not start no longer holds the network: Junction's contracts
 * are not where the manifest says (the node was restarted without its state, or the URL points elsewhere).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof NodeStateLostError) console.error(e.chainName) }
 * ```
 */
export class NodeStateLostError extends JunctionError {
  override name = 'NodeStateLostError'
  readonly chainName: string
  constructor(parameters: { chainName: string; url: string; contract: string; address: Address }) {
    super(`${parameters.chainName}: the node at ${parameters.url} has no ${parameters.contract} at ${parameters.address}`, {
      details: [
        'Junction did not start this node and keeps no checkpoint of it: the node keeps its own state.',
        'Restart it with its state (anvil --state FILE, or its data directory), or deploy a new network onto fresh nodes.',
      ].join('\n'),
    })
    this.chainName = parameters.chainName
  }
}
