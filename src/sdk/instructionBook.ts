// What the instruction actions share (src/sdk/actions: proposeInstruction, approveInstruction,
// cancelInstruction): finding the bank's own member for the client's chain, and one book transition sent and read back.
import { erc20Abi, parseEventLogs, zeroAddress, type Account, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { getChainId, readContract } from 'viem/actions'
import { writeContractAndWait } from '../chain/writeContractAndWait.js'
import * as c from '../contracts/generated/index.js'
import { InvalidInstructionError } from '../errors/instructions.js'
import { checkInstruction, instructionId as instructionIdOf, type Instruction } from '../protocol/instruction.js'

/** Names of a copy's status (`InstructionBook.Status`). */
export const INSTRUCTION_STATUS_NAMES = ['unknown', 'proposed', 'executed', 'cancelled'] as const
export type InstructionStatusName = (typeof INSTRUCTION_STATUS_NAMES)[number]

/** What a bank's transition on its book resolves with. */
export type BookTransitionReturnType = {
  instructionId: Hex
  /** The bank's member index in the instruction. */
  memberIndex: number
  /** The updates sent to the other members' books: their bundle hashes (ERC-7786 send ids), by member index. */
  updates: { toMember: number; bundleHash: Hex }[]
  /** The bank's own copy after the transaction. */
  status: InstructionStatusName
  transactionHash: Hex
  receipt: TransactionReceipt
}

/**
 * Sends `transition` (`propose`, `approve` or `cancel`) of `instruction` on the book of the member on the client's
 * chain, from the client's account (the bank's operator). For `approve`, first approves the book for the member's
 * share when the allowance is short (unless `approveToken` is false).
 */
export async function bookTransition<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  instruction: Instruction,
  transition: 'propose' | 'approve' | 'cancel',
  options: { approveToken?: boolean | undefined } = {},
): Promise<BookTransitionReturnType> {
  checkInstruction(instruction)
  const chainId = BigInt(await getChainId(client as never))
  const memberIndex = instruction.members.findIndex((m) => m.chainId === chainId)
  if (memberIndex < 0) throw new InvalidInstructionError({ reason: `no member on chain ${chainId}, the client's chain: each bank acts on its own book` })
  const member = instruction.members[memberIndex]!
  const chainName = client.chain?.name ?? `chain ${chainId}`
  const wallet = client as unknown as WalletClient
  const owner = client.account?.address
  if (transition === 'approve' && options.approveToken !== false && owner && member.token !== zeroAddress) {
    const allowance = await readContract(client as never, { address: member.token, abi: erc20Abi, functionName: 'allowance', args: [owner, member.book] })
    if (allowance < member.amount) await writeContractAndWait(wallet, { address: member.token, abi: erc20Abi, functionName: 'approve', args: [member.book, member.amount], action: 'approve the instruction book', chainName })
  }
  const { hash, receipt } = await writeContractAndWait(wallet, { address: member.book, abi: c.instructionBookAbi, functionName: transition, args: [instruction], action: `${transition}Instruction`, chainName })
  const instructionId = instructionIdOf(instruction)
  const updates = parseEventLogs({ abi: c.instructionBookAbi, logs: receipt.logs, eventName: 'UpdateSent' }).map((log) => ({ toMember: Number(log.args.toMember), bundleHash: log.args.sendId }))
  const [status] = (await readContract(client as never, { address: member.book, abi: c.instructionBookAbi, functionName: 'instructionStatus', args: [instructionId], blockNumber: receipt.blockNumber })) as readonly [number, ...unknown[]]
  return { instructionId, memberIndex, updates, status: INSTRUCTION_STATUS_NAMES[status]!, transactionHash: hash, receipt }
}
