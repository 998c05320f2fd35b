import { JunctionError } from './JunctionError.js'

/**
 * No gas price of the destination has reached the source chain yet (the operator posts prices on the
 * settlement layer, `ChainRegistry.postGasPrices`; they come with the roots the chain imports): no fee can be
 * quoted. Send without a fee (and relay it yourself), or once a root with prices was imported.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof GasPriceUnknownError) await client.sendMessage({ recipient, payload }) }
 * ```
 */
export class GasPriceUnknownError extends JunctionError {
  override name = 'GasPriceUnknownError'
  readonly chainId: number

  constructor({ sourceChainId, chainId, cause }: { sourceChainId: number; chainId: number; cause?: unknown }) {
    super(`chain ${sourceChainId} knows no gas price of chain ${chainId}: no fee can be quoted`, {
      details: `The operator posts gas prices on L1 (ChainRegistry.postGasPrices, \`junction up\` does it) and the root importer carries them to a chain with the next root it imports there. Send without a fee and execute the message yourself, or quote again later.`,
      cause,
    })
    this.chainId = chainId
  }
}

/**
 * What a call's recipient spends could not be estimated (its `receiveMessage` reverted when simulated from
 * the InteropCenter on the destination, maybe because it depends on an earlier call of the bundle): give
 * `recipientGas` yourself.
 *
 * @example
 * ```ts
 * await client.estimateInteropFee({ destinationChainId, calls, recipientGas: [80_000n, 50_000n] })
 * ```
 */
export class RecipientGasUnknownError extends JunctionError {
  override name = 'RecipientGasUnknownError'

  constructor({ callIndex, to, chainId, cause }: { callIndex: number; to: string; chainId: number; cause?: unknown }) {
    super(`cannot estimate the gas of call ${callIndex} (receiveMessage of ${to} on chain ${chainId})`, {
      details: 'Its simulation from the InteropCenter reverted. Pass `recipientGas` (one figure per call) to estimateInteropFee.',
      cause,
    })
  }
}

/**
 * A fee cannot be claimed yet: the destination's execution record is not provable on the source chain
 * (the destination's batch is not settled, or the source has not imported a root covering it).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof FeeClaimNotReadyError) setTimeout(retry, 5_000) }
 * ```
 */
export class FeeClaimNotReadyError extends JunctionError {
  override name = 'FeeClaimNotReadyError'
  readonly reason: string

  constructor({ bundleHash, reason }: { bundleHash: string; reason: string }) {
    super(`the execution of ${bundleHash} cannot be proven on its source chain yet (${reason})`, {
      details: 'The claim needs the destination batch holding the execution settled and a root covering it imported on the source chain. Try again later.',
    })
    this.reason = reason
  }
}
