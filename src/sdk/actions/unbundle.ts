import type { Account, Chain, Hex, TransactionReceipt, Transport, WalletClient } from 'viem'
import { readContract } from 'viem/actions'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { BundleStatus } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'
import { getMessageProof } from './getMessageProof.js'

/** What to do with one call of a bundle being unbundled. */
export type CallDecisionName = 'leave' | 'execute' | 'cancel'
const DECISION_CODES: Record<CallDecisionName, number> = { leave: 0, execute: 1, cancel: 2 }

/** Parameters of {@link unbundle}. */
export type UnbundleParameters = {
  bundleHash: Hex
  /** One decision per call, in order. An executed or cancelled call is final. */
  decisions: CallDecisionName[]
}

/** What {@link unbundle} resolves with. */
export type UnbundleReturnType = { verifiedIn?: Hex; transactionHash: Hex; receipt: TransactionReceipt }

/**
 * Executes or cancels single calls of a bundle, as its unbundler (`client` is the unbundler on the
 * destination chain). If the bundle is not verified yet, verifies it first with its inclusion proof.
 *
 * @example
 * ```ts
 * await unbundle(betaWallet, index, { bundleHash, decisions: ['execute', 'cancel', 'leave'] })
 * ```
 */
export async function unbundle<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: UnbundleParameters,
): Promise<UnbundleReturnType> {
  const { bundle, proof, destinationChainId } = await getMessageProof(index, parameters)
  const destination = index.chain(destinationChainId)
  const handler = { address: index.manifest.l2Contracts.interopHandler, abi: c.interopHandlerAbi } as const
  const send = async (functionName: string, args: readonly unknown[]) => {
    return writeContractAndWait(client as unknown as WalletClient, { ...handler, functionName, args, chain: client.chain ?? destination.chain, chainName: destination.name })
  }
  let verifiedIn: Hex | undefined
  const status = Number(await readContract(destination.client, { ...handler, functionName: 'bundleStatus', args: [bundle] }))
  if (status === BundleStatus.Unreceived) verifiedIn = (await send('verifyBundle', [bundle, proof])).hash
  const { hash, receipt } = await send('unbundleBundle', [bundle, parameters.decisions.map((d) => DECISION_CODES[d])])
  return { ...(verifiedIn ? { verifiedIn } : {}), transactionHash: hash, receipt }
}
