import type { Address } from 'viem'
import { JunctionError } from './JunctionError.js'

/**
 * The checks of a balance disclosure, in the order a verifier makes them (docs/prividium.md, "Selective
 * disclosure"):
 * - `format`: the disclosure is not a well-formed disclosure object;
 * - `commitment`: the batch commitment does not hash to the batch hash the disclosure names (or to the one given);
 * - `settlement`: the settlement layer's ChainSettlement of the chain (found through its ChainRegistry) does
 *   not hold that hash as the batch's: another chain's batch, another state root, a batch never committed;
 * - `slot`: the storage slot is not the holder's balance slot in the token (`keccak256(abi.encode(holder, balancesSlot))`);
 * - `accountProof`: the account proof does not lead from the batch's state root to the token's account;
 * - `storageProof`: the storage proof does not lead from the token's storage root to the slot;
 * - `value`: the proven value is not the value disclosed;
 * - `finality` (last): everything holds, but the batch is committed and not yet executed on the settlement layer.
 */
export type DisclosureStep = 'format' | 'commitment' | 'settlement' | 'slot' | 'accountProof' | 'storageProof' | 'value' | 'finality'

const STEP_DETAILS: Record<DisclosureStep, string> = {
  format: 'The file is not a Junction balance disclosure (junction-balance-disclosure/1): make it again with `junction private disclose`.',
  commitment: 'The batch commitment in the disclosure is not the batch it names: the disclosure was altered.',
  settlement: "The settlement layer does not hold this commitment as the chain's batch: it names another chain's batch, another state root, or a batch never committed there (check the RPC URL and ChainRegistry address you verify against).",
  finality: 'The batch is committed but not executed on the settlement layer yet: its state root is not final. Verify again once the batch is executed.',
  slot: "The storage slot is not the holder's balance slot in the token (keccak256(abi.encode(holder, balancesSlot))): the holder, the slot or the token's balances mapping slot was changed.",
  accountProof: "The account proof does not lead from the batch's state root to the token's account: the proof was altered, or was taken at another block.",
  storageProof: "The storage proof does not lead from the token's storage root to the slot: the proof was altered, or belongs to another account.",
  value: 'The proofs hold another value than the one disclosed.',
}

/**
 * A balance disclosure failed a check; `step` names which ({@link DisclosureStep}).
 *
 * @example
 * ```ts
 * try { await verifyDisclosureProof(l1, { disclosure, chainRegistry }) } catch (e) { if (e instanceof DisclosureProofInvalidError) console.error(e.step) }
 * ```
 */
export class DisclosureProofInvalidError extends JunctionError {
  override name = 'DisclosureProofInvalidError'
  /** The check that failed. */
  readonly step: DisclosureStep
  /** What was wrong, in one line. */
  readonly reason: string

  constructor({ step, reason, cause }: { step: DisclosureStep; reason: string; cause?: unknown }) {
    super(`disclosure refused at ${step}: ${reason}`, { details: STEP_DETAILS[step], cause })
    this.step = step
    this.reason = reason
  }
}

/**
 * No batch of the chain can be disclosed: none but the genesis batch is committed, or the node no longer
 * keeps the state of any committed batch's last block (Junction's nodes keep the last 64 blocks' states).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DisclosureStateUnavailableError) console.error(e.details) }
 * ```
 */
export class DisclosureStateUnavailableError extends JunctionError {
  override name = 'DisclosureStateUnavailableError'
  readonly chainId: number
  /** The batches tried, each with its last block. */
  readonly tried: readonly { batchNumber: bigint; lastBlock: bigint }[]

  constructor({ chainId, tried, head, cause }: { chainId: number; tried: readonly { batchNumber: bigint; lastBlock: bigint }[]; head: bigint | undefined; cause?: unknown }) {
    const what = tried.length === 0 ? 'no batch after the genesis batch is committed yet' : `the node no longer keeps the state of ${tried.map((t) => `batch ${t.batchNumber} (block ${t.lastBlock})`).join(' or ')}${head === undefined ? '' : `; its head is block ${head}`}`
    super(`cannot disclose a balance of chain ${chainId}: ${what}`, {
      details: [
        'A disclosure proves a balance at the last block of a committed batch, read from the chain\'s node with eth_getProof, which',
        'Junction\'s nodes answer for their last 64 blocks only (--prune-history 64). Disclose right after a batch is committed:',
        'the next batch of the chain (any message, deposit or root import seals one) makes a new one available; or ask the',
        'operator for a proof from a node that keeps history (an archive node).',
      ].join('\n'),
      cause,
    })
    this.chainId = chainId
    this.tried = tried
  }
}

/**
 * The holder's balance is zero and the proof of it would end in another slot's leaf, showing that slot's
 * value: such a disclosure would reveal someone else's balance, so it is not made.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DisclosureRevealsNeighbourError) console.error(e.message) }
 * ```
 */
export class DisclosureRevealsNeighbourError extends JunctionError {
  override name = 'DisclosureRevealsNeighbourError'
  constructor({ token, holder, batchNumber }: { token: Address; holder: Address; batchNumber: bigint }) {
    super(`${holder} holds none of ${token} at batch ${batchNumber}, and the proof of that would show another holder's balance`, {
      details: 'A proof that a slot is empty ends at the leaf nearest to it in the token\'s storage tree, which holds another account\'s balance. Disclose a non-zero balance, or another batch.',
    })
  }
}

/**
 * The chain has no ChainSettlement on the settlement layer given (or L1 does not say where it settles).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DisclosureChainNotSettledError) console.error(e.details) }
 * ```
 */
export class DisclosureChainNotSettledError extends JunctionError {
  override name = 'DisclosureChainNotSettledError'
  readonly chainId: number
  constructor(chainId: number, where: string) {
    super(`chain ${chainId} does not settle on ${where}`, { details: 'A disclosure is made against the batches the chain settles on its settlement layer: check the chain and the network (manifest) you give.' })
    this.chainId = chainId
  }
}

/**
 * The token has no code at the batch's last block: it was deployed after that batch (or the address is wrong).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DisclosureTokenAbsentError) console.error(e.message) }
 * ```
 */
export class DisclosureTokenAbsentError extends JunctionError {
  override name = 'DisclosureTokenAbsentError'
  constructor({ token, batchNumber, blockNumber }: { token: Address; batchNumber: bigint; blockNumber: bigint }) {
    super(`${token} holds no code at block ${blockNumber}, the last block of batch ${batchNumber}`, {
      details: 'Check the token address; a token deployed after that batch can be disclosed once a later batch is committed (any message, deposit or root import of the chain seals one).',
    })
  }
}
