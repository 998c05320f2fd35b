import type { Address } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'

// Errors of sending that would burn value (protocol §8.2), mirroring the InteropCenter's.

/**
 * A bundle to chain id 0, which no chain has. Mirrors Solidity `ZeroDestinationChain()`.
 *
 * @example
 * ```ts
 * try { buildBundle({ ...parameters, destinationChainId: 0n }) } catch (e) { if (e instanceof ZeroDestinationChainError) console.log('no chain 0') }
 * ```
 */
export class ZeroDestinationChainError extends JunctionError {
  override name = 'ZeroDestinationChainError'
  constructor() {
    super('A bundle cannot go to chain 0.', { details: 'Give the chain id of a chain of the network.' })
  }
}

/**
 * A call carrying an `interopCallValue` to the L2AssetRouter, which takes no value: the call could never
 * execute on the destination and the value would be lost. Mirrors Solidity
 * `CallValueToAssetRouter(uint256 callIndex, uint256 value)`.
 *
 * @example
 * ```ts
 * try { buildBundle({ ...parameters, assetRouter }) } catch (e) { if (e instanceof CallValueToAssetRouterError) console.log(e.callIndex, e.value) }
 * ```
 */
export class CallValueToAssetRouterError extends JunctionError {
  override name = 'CallValueToAssetRouterError'
  readonly callIndex: bigint
  readonly value: bigint
  constructor({ callIndex, value, assetRouter }: { callIndex: bigint; value: bigint; assetRouter: Address }) {
    super(`Call ${callIndex} carries ${value} wei to the asset router ${assetRouter}, which takes no value.`, {
      details: 'Send token transfers without interopCallValue; to send ETH to a chain, give the value to a call of its recipient.',
    })
    this.callIndex = callIndex
    this.value = value
  }
}
