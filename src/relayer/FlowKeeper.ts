import { getAbiItem, type Address, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { FlowStatus, type FlowTerms } from '../protocol/flow.js'
import { LogScanner } from './LogScanner.js'
import { tickClocks } from './nextLogWindow.js'

/** Parameters of {@link FlowKeeper}. */
export type FlowKeeperParameters = {
  /** The chains to watch for flows (every ZK chain), by chain id. */
  chains: Map<number, ChainConnection>
  /** Key that pays for the refunds it asks for. */
  privateKey: Hex
  /** Most blocks read per chain and tick (default 5 000). */
  blocksPerTick?: bigint
}

type OpenFlow = { chainId: number; coordinator: Address; flowId: Hex; terms: FlowTerms }

const flowCreatedEvent = getAbiItem({ abi: c.flowCoordinatorAbi, name: 'FlowCreated' })

/**
 * Drives atomic flows (docs/flows.md) past their deadline: it watches every chain for `FlowCreated` (from any
 * coordinator), and once a flow's deadline has passed on its home chain while the flow is still open, it asks
 * the coordinator to `refund` it. Everything else moves by itself with the relayer: the escrows' "locked"
 * messages and the coordinator's "release" / "refund" messages are ordinary bundles, executed with proofs.
 *
 * Not trusted: `refund` is open to anyone and the coordinator refuses it before the deadline or after a release;
 * a keeper that is down only delays refunds. Keeps its cursors in memory: a restart reads the chains again from
 * block 0.
 *
 * @example
 * ```ts
 * await new FlowKeeper({ chains, privateKey: manifest.accounts.relayer.privateKey }).tick()
 * ```
 */
export class FlowKeeper {
  readonly #p: Required<FlowKeeperParameters>
  readonly #scanner: LogScanner<typeof flowCreatedEvent>
  readonly #open = new Map<Hex, OpenFlow>()

  constructor(parameters: FlowKeeperParameters) {
    this.#p = { blocksPerTick: 5_000n, ...parameters }
    this.#scanner = new LogScanner({ event: flowCreatedEvent, blocksPerTick: this.#p.blocksPerTick })
  }

  /** Flows seen and not known to be decided. */
  get openFlows(): number {
    return this.#open.size
  }

  /** Reads new flows, refunds the open ones past their deadline; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    for (const [chainId, chain] of this.#p.chains) await this.#scan(chainId, chain)
    let worked = false
    // One look at each chain's clock per tick, however many of its items are open.
    const clockOf = tickClocks(this.#p.chains)
    for (const flow of [...this.#open.values()]) {
      const chain = this.#p.chains.get(flow.chainId)!
      const [status] = (await chain.client.readContract({ address: flow.coordinator, abi: c.flowCoordinatorAbi, functionName: 'flowStatus', args: [flow.flowId] })) as readonly [number, number, number, bigint]
      if (status === FlowStatus.Released || status === FlowStatus.Refunded) {
        this.#open.delete(flow.flowId)
        continue
      }
      // Try once the chain's next block is past the deadline (by its latest block or the wall clock).
      if ((await clockOf(flow.chainId)) <= flow.terms.deadline) continue
      try {
        await chain.write(this.#p.privateKey, { address: flow.coordinator, abi: c.flowCoordinatorAbi, functionName: 'refund', args: [flow.terms], action: `refund flow ${flow.flowId}` })
        this.#open.delete(flow.flowId)
        worked = true
      } catch (error) {
        // Decided by someone else meanwhile (a late lock, another keeper), or the node's clock is behind: look again next tick.
        if (error instanceof ContractRevertedError && (error.errorName === 'FlowDecided' || error.errorName === 'DeadlineNotPassed')) continue
        throw error
      }
    }
    return worked
  }

  async #scan(chainId: number, chain: ChainConnection): Promise<void> {
    for (const log of await this.#scanner.next(chainId, chain)) {
      const terms = log.args.terms as FlowTerms
      // Only a coordinator's own flows: the terms name it on this chain (any contract can emit the event).
      if (terms.coordinator.toLowerCase() !== log.address.toLowerCase() || terms.homeChainId !== BigInt(chainId)) continue
      this.#open.set(log.args.flowId, { chainId, coordinator: log.address, flowId: log.args.flowId, terms })
    }
  }
}
