import { encodeAbiParameters, type Account, type Address, type Chain, type Hex, type Transport, type WalletClient } from 'viem'
import type { NetworkManifest } from '../../network/types.js'
import { encodeIndirectCallAttribute } from '../../protocol/index.js'
import { ChainNotFoundError, findChain } from '../loadManifest.js'
import { sendBundle, type SendBundleReturnType } from './sendBundle.js'

/** Parameters of {@link transfer}. */
export type TransferParameters = {
  manifest: NetworkManifest
  assetId: Hex
  amount: bigint
  destinationChainId: number
  /** Receiver on the destination chain (default: the sender). */
  to?: Address
}

/**
 * Moves a bridged token from this chain to another, natively: a one-call bundle whose call is an
 * indirect call through the L2 asset router, which burns the tokens here and has the destination's
 * asset router mint them there (the same token address on every chain; no wrapped token, no third
 * party). Follow it like any bundle (`waitForMessage`). The L1 ledger moves the balance from this
 * chain to the destination once this chain's batch is executed on L1. The destination must be a ZK
 * chain of the manifest (`ChainNotFoundError` otherwise, before anything is sent): L1 takes tokens with
 * `withdraw` (the router refuses a transfer there, `TransferToL1`), and a chain id the network does not
 * have would burn them for good.
 *
 * @example
 * ```ts
 * const { bundleHash } = await transfer(alphaWallet, { manifest, assetId, amount: 100n, destinationChainId: 272 })
 * ```
 */
export async function transfer<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: TransferParameters,
): Promise<SendBundleReturnType> {
  const receiver = parameters.to ?? client.account?.address
  if (!receiver) throw new Error('transfer: give `to` or use a client with an account')
  const { manifest } = parameters
  if (parameters.destinationChainId === manifest.l1.chainId) {
    throw new ChainNotFoundError(parameters.destinationChainId, manifest.chains.map((c) => `${c.name} (${c.chainId})`), 'L1 is not a destination of transfers: withdraw the token to move it to L1')
  }
  findChain(manifest, parameters.destinationChainId)
  return sendBundle(client, {
    destinationChainId: parameters.destinationChainId,
    calls: [
      {
        to: parameters.manifest.l2Contracts.l2AssetRouter,
        data: encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }], [parameters.assetId, parameters.amount, receiver]),
        attributes: [encodeIndirectCallAttribute(0n)],
      },
    ],
    interopCenter: parameters.manifest.l2Contracts.interopCenter,
  })
}
