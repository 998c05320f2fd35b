import type { Account, Chain, Hex, TransactionReceipt, Transport, WalletClient } from 'viem'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { getMessageProof } from './getMessageProof.js'

/** Parameters of {@link executeMessage}. */
export type ExecuteMessageParameters = { bundleHash: Hex }

/** What {@link executeMessage} resolves with. */
export type ExecuteMessageReturnType = { transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Executes a message on its destination yourself (self-relay, when no relayer runs): builds the
 * inclusion proof from the chains and calls `InteropHandler.executeBundle` from `client`, which
 * must be connected to the destination chain.
 *
 * @example
 * ```ts
 * await executeMessage(betaWallet, index, { bundleHash })
 * ```
 */
export async function executeMessage<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ExecuteMessageParameters,
): Promise<ExecuteMessageReturnType> {
  const { bundle, proof, destinationChainId } = await getMessageProof(index, parameters)
  const destination = index.chain(destinationChainId)
  const hash = await writeContract(client as unknown as WalletClient, {
    address: index.manifest.l2Contracts.interopHandler,
    abi: c.interopHandlerAbi,
    functionName: 'executeBundle',
    args: [bundle, proof],
    chain: client.chain ?? destination.chain,
    account: client.account ?? null,
  } as never).catch((error: unknown) => {
    throw destination.explainRevert(error, 'executeBundle')
  })
  const receipt = await waitForTransactionReceipt(client as unknown as WalletClient, { hash, pollingInterval: 10 })
  return { transactionHash: hash, receipt }
}
