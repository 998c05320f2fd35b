import type { PublicClient } from 'viem'
import * as c from '../../contracts/generated/index.js'
import { JunctionError } from '../../errors/JunctionError.js'
import type { NetworkManifest } from '../../network/types.js'

/** Parameters of {@link waitForDeposit}. */
export type WaitForDepositParameters = {
  manifest: Pick<NetworkManifest, 'l2Contracts'>
  /** The deposit's priority request index in the chain's queue (`deposit` and `depositETH` return it). */
  requestIndex: bigint | number
  /** Give up after this long. Default 60 000 ms. */
  timeoutMs?: number
  /** Wait between checks. Default 50 ms. */
  pollMs?: number
}

/** The chain did not process the deposit in time. */
export class DepositTimeoutError extends JunctionError {
  override name = 'DepositTimeoutError'
  constructor(requestIndex: bigint, processed: bigint, timeoutMs: number) {
    super(`the chain did not process deposit ${requestIndex} within ${timeoutMs} ms (it processed ${processed} of its requests)`, {
      details: "The chain's operator processes its L1 queue in order (a chain on the Gateway: once the Gateway passed it on); check that the services run (`junction status`).",
    })
  }
}

/**
 * Waits until a chain has processed a deposit's priority request (docs/protocol.md §9.2): the tokens are
 * minted, or the ETH released, on the chain (or the request failed, and can be claimed back on L1).
 * `client` reads the chain the deposit is for.
 *
 * @example
 * ```ts
 * const { requestIndex } = await depositETH(l1Wallet, { manifest, chainId: 271, amount })
 * await waitForDeposit(alphaClient, { manifest, requestIndex })
 * ```
 */
export async function waitForDeposit(client: Pick<PublicClient, 'readContract'>, parameters: WaitForDepositParameters): Promise<void> {
  const requestIndex = BigInt(parameters.requestIndex)
  const timeoutMs = parameters.timeoutMs ?? 60_000
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const processed = (await client.readContract({ address: parameters.manifest.l2Contracts.priorityInbox, abi: c.l2PriorityInboxAbi, functionName: 'processedCount' })) as bigint
    if (processed > requestIndex) return
    if (Date.now() > deadline) throw new DepositTimeoutError(requestIndex, processed, timeoutMs)
    await new Promise((resolve) => setTimeout(resolve, parameters.pollMs ?? 50))
  }
}
