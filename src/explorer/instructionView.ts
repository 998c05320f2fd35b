// An instruction shared by several banks (docs/instructions.md): each bank's copy, on its own chain, side by
// side. Books are read only through instructionCopies.ts; a private chain only through its permissioned RPC
// as the visitor, and not at all before the visitor signs in there.
import type { Address, Client, Hex } from 'viem'
import { getBlockNumber } from 'viem/actions'
import type { Instruction } from '../protocol/instruction.js'
import { chainRef, notFound, type ExplorerContext } from './context.js'
import { findOpenedInstruction, openedInstructions, readInstructionCopy, type InstructionCopy } from './instructionCopies.js'
import { isPrivateChain, privateChainsOf, privateClient, refusalIn } from './privateChains.js'
import { visibleChainIds, type Visitor } from './visibility.js'

/** What `GET /api/instructions/:instructionId` answers. */
export type InstructionView = {
  instructionId: Hex
  termsHash: Hex
  proposer: number
  /** `executed`, or `cancelled`/`expired` (nothing executed), once a copy shown decided (copies never decide both ways), else `pending`. */
  outcome: 'pending' | 'executed' | 'cancelled' | 'expired'
  /** Each member bank: its chain and book, what it pays, and its copy, or why it is not shown. */
  members: { index: number; chain: { chainId: number; name: string; private?: true }; book: Address; token: Address; amount: string; payee: Address; copy?: InstructionCopy; notShown?: string }[]
}

/** The instructions found, by explorer and id (an instruction's members never change). */
const found = new WeakMap<ExplorerContext, Map<string, Instruction>>()

/** An instruction's page: every bank's copy side by side, as the visitor may see each. */
export async function instructionView(context: ExplorerContext, visitor: Visitor, instructionId: Hex): Promise<InstructionView> {
  const { manifest } = context
  const visible = visibleChainIds(manifest, visitor)
  const instruction = await findInstruction(context, visitor, instructionId)
  if (!instruction) notFound(`instruction ${instructionId}`, 'No book on a chain you may see opened it: give the id `junction demo instruction` or proposeInstruction printed (a private bank\'s book shows after you sign in to its chain).')
  const members: InstructionView['members'] = []
  for (const [index, member] of instruction.members.entries()) {
    const chainId = Number(member.chainId)
    const line = { index, chain: chainRef(manifest, chainId, visible), book: member.book, token: member.token, amount: member.amount.toString(), payee: member.payee }
    const client = clientFor(context, visitor, chainId)
    if (!client) {
      members.push({ ...line, notShown: 'a private chain: sign in to it to see its copy, if your account may read it' })
      continue
    }
    try {
      members.push({ ...line, copy: await readInstructionCopy(client, member.book, instructionId) })
    } catch (error) {
      const refusal = refusalIn(error)
      if (!refusal) throw error
      members.push({ ...line, notShown: `its permissioned RPC refused your account: ${refusal.shortMessage}` })
    }
  }
  const decided = members.map((m) => m.copy?.status).find((status) => status === 'executed' || status === 'cancelled' || status === 'expired')
  return { instructionId, termsHash: instruction.termsHash, proposer: Number(instruction.proposer), outcome: decided ?? 'pending', members }
}

/** The instruction, from the first chain the visitor sees whose book opened it (kept once found). */
export async function findInstruction(context: ExplorerContext, visitor: Visitor, instructionId: Hex): Promise<Instruction | undefined> {
  let known = found.get(context)
  if (!known) found.set(context, (known = new Map()))
  const kept = known.get(instructionId.toLowerCase())
  if (kept) return kept
  for (const chain of context.manifest.chains) {
    const client = clientFor(context, visitor, chain.chainId)
    if (!client) continue
    try {
      // A public chain's books are read once, block range after block range, for everyone; a private chain's
      // through the visitor's session, which shows each visitor its own part.
      const instruction = isPrivateChain(context.manifest, chain.chainId)
        ? await findOpenedInstruction(client, instructionId, BigInt(chain.genesis.lastBlock))
        : await openedOnPublicChain(context, chain.chainId, client, BigInt(chain.genesis.lastBlock), instructionId)
      if (instruction) {
        known.set(instructionId.toLowerCase(), instruction)
        return instruction
      }
    } catch (error) {
      if (!refusalIn(error)) throw error
    }
  }
  return undefined
}

/** Per public chain, the instructions its books opened up to `scannedTo` (the next search reads only the blocks after it). */
const publicOpened = new WeakMap<ExplorerContext, Map<number, { scannedTo: bigint; byId: Map<string, Instruction> }>>()

async function openedOnPublicChain(context: ExplorerContext, chainId: number, client: Client, genesisBlock: bigint, instructionId: Hex): Promise<Instruction | undefined> {
  let chains = publicOpened.get(context)
  if (!chains) publicOpened.set(context, (chains = new Map()))
  let seen = chains.get(chainId)
  if (!seen) chains.set(chainId, (seen = { scannedTo: genesisBlock - 1n, byId: new Map() }))
  const head = await getBlockNumber(client, { cacheTime: 0 })
  if (head > seen.scannedTo) {
    const from = seen.scannedTo + 1n
    for (const [id, instruction] of await openedInstructions(client, from, head)) seen.byId.set(id, instruction)
    if (head > seen.scannedTo) seen.scannedTo = head
  }
  return seen.byId.get(instructionId.toLowerCase())
}

/** A public chain's node, or a private chain's permissioned RPC with the visitor's session; none if the visitor did not sign in there. */
function clientFor(context: ExplorerContext, visitor: Visitor, chainId: number): Client | undefined {
  if (!isPrivateChain(context.manifest, chainId)) return context.publicIndex.chain(chainId).client
  const chain = privateChainsOf(context.manifest).find((c) => c.chainId === chainId)
  const session = visitor.sessions.get(chainId)
  return chain && session ? privateClient(chain, session) : undefined
}
