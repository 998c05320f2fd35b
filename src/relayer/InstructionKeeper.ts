import { getAbiItem, type Address, type Hex } from 'viem'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { InstructionStatus, isFinalInstructionVote, type Instruction } from '../protocol/instruction.js'
import { readInstructionCopy } from '../sdk/instructionBook.js'
import { LogScanner } from './LogScanner.js'
import { tickClocks } from './nextLogWindow.js'

/** Parameters of {@link InstructionKeeper}. */
export type InstructionKeeperParameters = {
  /** The chains to watch for instruction copies (every ZK chain, private ones through their nodes), by chain id. */
  chains: Map<number, ChainConnection>
  /** Key that pays for the expiries it sends. */
  privateKey: Hex
  /** Most blocks read per chain and tick (default 5 000). */
  blocksPerTick?: bigint
}

type OpenCopy = { chainId: number; book: Address; instructionId: Hex; instruction: Instruction }

const instructionOpenedEvent = getAbiItem({ abi: c.instructionBookAbi, name: 'InstructionOpened' })

/**
 * The book's refusals of `expire` that are not faults: the chain's clock is still before the expiry
 * (`ExpiryNotReached`), a delivered vote decided the copy meanwhile (`InstructionDecided`), or its bank confirmed
 * meanwhile (`WrongVote`). The copy's status says which, next tick.
 */
const LOOK_AGAIN = new Set(['ExpiryNotReached', 'InstructionDecided', 'WrongVote'])

/**
 * Drives multi-bank instructions (docs/instructions.md) past their expiry, so that no copy waits forever: it
 * watches every chain for `InstructionOpened` (a copy opened in any InstructionBook), and once an instruction's
 * expiry has passed on a copy's chain while that copy is undecided and its bank has not confirmed, it calls
 * `expire` on that copy. The book records "expired" as that bank's final vote and sends it to every other copy,
 * as ordinary bundles the relayer delivers with proofs. A copy whose bank confirmed is left alone: it ends when
 * the other banks' final votes (their own confirmations or their copies' expiries) reach it.
 *
 * Not trusted: `expire` is open to anyone and the book refuses it before the expiry on its own chain's clock and
 * after its bank confirmed; a keeper that is down only delays the end. Keeps its cursors in memory: a restart reads
 * the chains again from block 0.
 *
 * @example
 * ```ts
 * await new InstructionKeeper({ chains, privateKey: manifest.accounts.relayer.privateKey }).tick()
 * ```
 */
export class InstructionKeeper {
  readonly #p: Required<InstructionKeeperParameters>
  readonly #scanner: LogScanner<typeof instructionOpenedEvent>
  readonly #open = new Map<string, OpenCopy>()

  constructor(parameters: InstructionKeeperParameters) {
    this.#p = { blocksPerTick: 5_000n, ...parameters }
    this.#scanner = new LogScanner({ event: instructionOpenedEvent, blocksPerTick: this.#p.blocksPerTick })
  }

  /** Copies seen and not known to be decided. */
  get openCopies(): number {
    return this.#open.size
  }

  /** Reads newly opened copies, expires the undecided ones past their expiry; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    for (const [chainId, chain] of this.#p.chains) await this.#scan(chainId, chain)
    let worked = false
    // One look at each chain's clock per tick, however many of its items are open.
    const clockOf = tickClocks(this.#p.chains)
    for (const [key, open] of [...this.#open]) {
      const chain = this.#p.chains.get(open.chainId)!
      const copy = await readInstructionCopy(chain.client, { book: open.book, instructionId: open.instructionId })
      if (copy.status !== InstructionStatus.Proposed) {
        this.#open.delete(key)
        continue
      }
      // Its bank confirmed: the copy waits for the other banks' final votes, which their own copies send.
      if (isFinalInstructionVote(copy.votes[copy.self]!.vote)) continue
      // Try once the chain's next block reaches the expiry (by its latest block or the wall clock).
      if ((await clockOf(open.chainId)) < open.instruction.expiry) continue
      try {
        await chain.write(this.#p.privateKey, { address: open.book, abi: c.instructionBookAbi, functionName: 'expire', args: [open.instruction], action: `expire instruction ${open.instructionId}` })
        this.#open.delete(key)
        worked = true
      } catch (error) {
        if (error instanceof ContractRevertedError && LOOK_AGAIN.has(error.errorName ?? '')) continue
        throw error
      }
    }
    return worked
  }

  async #scan(chainId: number, chain: ChainConnection): Promise<void> {
    for (const log of await this.#scanner.next(chainId, chain)) {
      const instruction = log.args.instruction as Instruction
      // Only a book's own copies: the instruction names it on this chain (any contract can emit the event).
      const member = instruction.members.find((m) => m.chainId === BigInt(chainId) && m.book.toLowerCase() === log.address.toLowerCase())
      if (!member) continue
      this.#open.set(`${chainId}:${log.address}:${log.args.instructionId}`, { chainId, book: log.address, instructionId: log.args.instructionId, instruction })
    }
  }
}
