import { parseEventLogs, type Account, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { getBlock } from 'viem/actions'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { checkFlowTerms, type FlowTerms } from '../../protocol/flow.js'

/** Parameters of {@link createFlow}. */
export type CreateFlowParameters = {
  /** The agreed terms: `terms.coordinator` on `terms.homeChainId`, the chain `client` is connected to. */
  terms: FlowTerms
}

/** What {@link createFlow} resolves with. */
export type CreateFlowReturnType = {
  /** `keccak256(abi.encode(terms))`: the id every escrow and the coordinator use. */
  flowId: Hex
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Opens an atomic flow on its home chain (docs/flows.md): checks the terms (2 to 8 legs, a deadline after the
 * home chain's time, a leg on the home chain held by the coordinator) and calls `FlowCoordinator.createFlow`,
 * which publishes them (`FlowCreated`, what the relayer's flow keeper watches) and refuses an id used before
 * (`FlowExists`). `client` must be connected to the home chain.
 *
 * @example
 * ```ts
 * const { flowId } = await createFlow(homeWallet, { terms })
 * ```
 */
export async function createFlow<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: CreateFlowParameters,
): Promise<CreateFlowReturnType> {
  const { terms } = parameters
  const { timestamp } = await getBlock(client as never, { blockTag: 'latest' })
  checkFlowTerms(terms, { now: timestamp })
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: terms.coordinator,
    abi: c.flowCoordinatorAbi,
    functionName: 'createFlow',
    args: [terms],
    action: 'createFlow',
    chainName: client.chain?.name ?? `chain ${terms.homeChainId}`,
  })
  const [created] = parseEventLogs({ abi: c.flowCoordinatorAbi, logs: receipt.logs, eventName: 'FlowCreated' })
  if (!created) throw new Error(`createFlow: transaction ${hash} emitted no FlowCreated event`)
  return { flowId: created.args.flowId, transactionHash: hash, receipt }
}
