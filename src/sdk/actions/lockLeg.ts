import { erc20Abi, parseEventLogs, type Account, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { getChainId, readContract } from 'viem/actions'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { InvalidFlowTermsError } from '../../errors/flows.js'
import { checkFlowTerms, type FlowTerms } from '../../protocol/flow.js'
import { legHolder } from '../flowContracts.js'

/** Parameters of {@link lockLeg}. */
export type LockLegParameters = {
  terms: FlowTerms
  /** Which leg: `client`'s account must be its depositor, and `client` connected to its chain. */
  legIndex: number
  /** Approve the escrow for the leg's amount first when the allowance is short. Default true. */
  approve?: boolean
}

/** What {@link lockLeg} resolves with. */
export type LockLegReturnType = {
  flowId: Hex
  /** The "locked" message to the coordinator (its bundle hash); undefined for a leg on the home chain (recorded at once). */
  lockMessage: Hex | undefined
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Locks one leg of an atomic flow (docs/flows.md): the escrow on the leg's chain takes exactly the leg's amount
 * from its depositor and sends the coordinator a proven "locked" message (a leg on the home chain is locked in
 * the coordinator itself and recorded at once). Refused after the deadline by the leg chain's clock
 * (`LockAfterDeadline`), by anyone but the depositor (`WrongParty`), and for a leg locked or closed already
 * (`WrongLegState`). Locking gives up the free option: the asset stays locked until the flow is decided.
 *
 * @example
 * ```ts
 * const { lockMessage } = await lockLeg(sellerOnAlpha, { terms, legIndex: 0 })
 * ```
 */
export async function lockLeg<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: LockLegParameters,
): Promise<LockLegReturnType> {
  const { terms, legIndex } = parameters
  checkFlowTerms(terms)
  const leg = terms.legs[legIndex]
  if (!leg) throw new InvalidFlowTermsError({ reason: `no leg ${legIndex} (the flow has ${terms.legs.length})` })
  const chainId = await getChainId(client as never)
  if (BigInt(chainId) !== leg.chainId) throw new InvalidFlowTermsError({ reason: `leg ${legIndex} is on chain ${leg.chainId}, but the client is connected to chain ${chainId}` })
  const holder = legHolder(terms, legIndex)
  const chainName = client.chain?.name ?? `chain ${chainId}`
  const owner = client.account?.address
  if (parameters.approve !== false && owner) {
    const allowance = await readContract(client as never, { address: leg.token, abi: erc20Abi, functionName: 'allowance', args: [owner, holder.address] })
    if (allowance < leg.amount) await writeContractAndWait(client as unknown as WalletClient, { address: leg.token, abi: erc20Abi, functionName: 'approve', args: [holder.address, leg.amount], action: 'approve the flow escrow', chainName })
  }
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, { address: holder.address, abi: holder.abi, functionName: 'lock', args: [terms, BigInt(legIndex)], action: 'lockLeg', chainName })
  const [locked] = parseEventLogs({ abi: c.flowEscrowAbi, logs: receipt.logs, eventName: 'LegLocked' })
  if (!locked) throw new Error(`lockLeg: transaction ${hash} emitted no LegLocked event`)
  const sendId = locked.args.sendId
  return { flowId: locked.args.flowId, lockMessage: /^0x0+$/.test(sendId) ? undefined : sendId, transactionHash: hash, receipt }
}
