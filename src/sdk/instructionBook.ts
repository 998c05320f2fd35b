// What the instruction actions share (src/sdk/actions: proposeInstruction, approveInstruction, withdrawInstruction,
// confirmInstruction, cancelInstruction, expireInstruction, getInstructionStatus): finding the bank's own member for
// the client's chain, one book transition sent and read back, and a copy read as a typed object.
import { erc20Abi, parseEventLogs, zeroAddress, type Account, type Address, type Chain, type Client, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { getChainId, readContract } from 'viem/actions'
import { writeContractAndWait } from '../chain/writeContractAndWait.js'
import * as c from '../contracts/generated/index.js'
import { InvalidInstructionError } from '../errors/instructions.js'
import { checkInstruction, instructionId as instructionIdOf, type Instruction, type InstructionCopy, type InstructionStatus, type InstructionVote } from '../protocol/instruction.js'

/** Names of a copy's status (`InstructionBook.Status`). */
export const INSTRUCTION_STATUS_NAMES = ['unknown', 'proposed', 'executed', 'cancelled', 'expired'] as const
export type InstructionStatusName = (typeof INSTRUCTION_STATUS_NAMES)[number]

/** Names of a member's vote (`InstructionRules` kinds, 0 none). */
export const INSTRUCTION_VOTE_NAMES = { 0: 'none', 2: 'approved', 3: 'withdrawn', 4: 'confirmed', 5: 'cancelled', 6: 'expired' } as const
export type InstructionVoteName = (typeof INSTRUCTION_VOTE_NAMES)[keyof typeof INSTRUCTION_VOTE_NAMES]

/** A bank's steps on its own book (`expire` is open to anyone). */
export type BookTransition = 'propose' | 'approve' | 'withdraw' | 'confirm' | 'cancel' | 'expire'

/**
 * Reads one copy from a book (`InstructionBook.instructionStatus`): its status, whether the proposal is known there,
 * the book's member index and each member's vote and version (empty votes for a copy never seen).
 *
 * @example
 * ```ts
 * const copy = await readInstructionCopy(client, { book, instructionId })
 * ```
 */
export async function readInstructionCopy(client: Client, { book, instructionId, blockNumber }: { book: Address; instructionId: Hex; blockNumber?: bigint | undefined }): Promise<InstructionCopy & { self: number }> {
  const view = (await readContract(client as never, { address: book, abi: c.instructionBookAbi, functionName: 'instructionStatus', args: [instructionId], ...(blockNumber === undefined ? {} : { blockNumber }) })) as {
    status: number
    proposalSeen: boolean
    self: number
    votes: readonly { vote: number; version: number }[]
  }
  return { status: view.status as InstructionStatus, proposalSeen: view.proposalSeen, self: view.self, votes: view.votes.map((v) => ({ vote: v.vote as InstructionVote, version: v.version })) }
}

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
 * Sends `transition` of `instruction` on the book of the member on the client's chain, from the client's account
 * (the bank's operator; anyone for `expire`). For `approve`, first approves the book for the member's
 * share when the allowance is short (unless `approveToken` is false).
 */
export async function bookTransition<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  instruction: Instruction,
  transition: BookTransition,
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
  const { status } = await readInstructionCopy(client as unknown as Client, { book: member.book, instructionId, blockNumber: receipt.blockNumber })
  return { instructionId, memberIndex, updates, status: INSTRUCTION_STATUS_NAMES[status]!, transactionHash: hash, receipt }
}
