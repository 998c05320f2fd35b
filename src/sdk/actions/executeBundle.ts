import type { Account, Chain, Hex, TransactionReceipt, Transport, WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { getMessageProof } from './getMessageProof.js'

/** Parameters of {@link executeMessage}. */
export type ExecuteBundleParameters = { bundleHash: Hex }

/** What {@link executeMessage} resolves with. */
export type ExecuteBundleReturnType = { transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Executes a bundle (or an ERC-7786 message, a one-call bundle) on its destination yourself:
 * self-relay when no relayer runs, or the way for a bundle's execution address. Builds the inclusion
 * proof from the chains and calls `InteropHandler.executeBundle` (`executeBlindedBundle` for a private
 * chain's bundle, with its blinding) from `client`, which must be connected to the destination chain. All
 * calls run or none.
 *
 * @example
 * ```ts
 * await executeBundle(betaWallet, index, { bundleHash })
 * ```
 */
export async function executeBundle<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ExecuteBundleParameters,
): Promise<ExecuteBundleReturnType> {
  const { bundle, proof, destinationChainId, blinding } = await getMessageProof(index, parameters)
  const destination = index.chain(destinationChainId)
  const common = { address: index.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi, chain: client.chain ?? destination.chain, chainName: destination.name }
  // A private chain's bundle is proven by its blinded commitment (docs/protocol.md §4.1).
  const { hash, receipt } =
    blinding === undefined
      ? await writeContractAndWait(client as unknown as WalletClient, { ...common, functionName: 'executeBundle', args: [bundle, proof], action: 'executeBundle' })
      : await writeContractAndWait(client as unknown as WalletClient, { ...common, functionName: 'executeBlindedBundle', args: [bundle, blinding, proof], action: 'executeBlindedBundle' })
  return { transactionHash: hash, receipt }
}

/** {@link executeBundle} under ERC-7786's name: a message is a one-call bundle. */
export const executeMessage = executeBundle
export type ExecuteMessageParameters = ExecuteBundleParameters
export type ExecuteMessageReturnType = ExecuteBundleReturnType
