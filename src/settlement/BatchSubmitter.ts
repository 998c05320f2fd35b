import type { Address, Hex } from 'viem'
import { JunctionError } from '../errors/JunctionError.js'
import type { ChainConnection } from '../chain/ChainConnection.js'
import * as c from '../contracts/generated/index.js'
import { epochAt, type Topology } from '../network/topology.js'
import type { L2Contracts, ZkChainInfo } from '../network/types.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { isValidiumBatch, revealBatchMessages, validiumBatchValue, type BatchMessages } from './revealBatchMessages.js'
import { isCommittedBatchKey, type BatchCommitment, type ImportedRoot, type ValidiumBatchValue } from '../protocol/index.js'
import { clearApprovalWaits, recordApprovalWait } from '../store/approvalWaits.js'
import { isPauseRequested } from '../store/settlementPauses.js'
import { statement, type Store } from '../store/openStore.js'
import { fromStoredJson } from '../store/storedJson.js'

/** Most payload bytes revealed in one approval transaction (calldata stays well inside a block). */
const APPROVAL_MAX_PAYLOAD_BYTES = 96_000

/** Consecutive groups of revealed batches, each within {@link APPROVAL_MAX_PAYLOAD_BYTES} (a bigger batch goes alone). */
function approvalGroups<T extends BatchApproval>(revealed: T[]): T[][] {
  const groups: T[][] = []
  let size = Number.POSITIVE_INFINITY
  for (const item of revealed) {
    const bytes = item.messages
      ? item.messages.payloads.reduce((sum, payload) => sum + (payload.length - 2) / 2, 0) + 52 * item.messages.senders.length
      : 32 + 96 * item.value.moves.length + 64 * item.value.failedDeposits.length
    // A private chain's batches (a value summary each) and others' (their messages) go in separate calls.
    if (size + bytes > APPROVAL_MAX_PAYLOAD_BYTES || (groups.at(-1)?.[0]?.value === undefined) !== (item.value === undefined)) {
      groups.push([])
      size = 0
    }
    groups[groups.length - 1]!.push(item)
    size += bytes
  }
  return groups
}

/**
 * What the asset tracker is given to approve a batch: its messages (`approveBatches`), or for a private
 * chain's batch its value summary (`approveValidiumBatches`, docs/protocol.md §9.10).
 */
type BatchApproval = { batch: BatchCommitment } & ({ messages: BatchMessages; value?: undefined } | { value: ValidiumBatchValue; messages?: undefined })

/** Parameters of {@link BatchSubmitter}. */
export type BatchSubmitterParameters = {
  store: Store
  chain: ZkChainInfo
  /** A connection to each settlement layer the chain may settle on, by chain id. */
  settlementLayers: ReadonlyMap<number, ChainConnection>
  /** Where each chain's blocks settle, read afresh each round (the chain may move, docs/protocol.md §11). */
  topology: () => Topology
  /** Most batches sent in one commit, prove or execute transaction. */
  maxBatchesPerTransaction?: number
  /** The L2 contracts (the same on every chain): whose messages carry value. */
  l2Contracts: L2Contracts
  /**
   * Per settlement layer that accounts for the value chains move (a Gateway): its GatewayAssetTracker,
   * which must approve each batch with messages before it executes there (docs/protocol.md §9.10).
   */
  valueApprovers?: ReadonlyMap<number, Address>
  /**
   * A simulated prover time: a batch is proven no sooner than this many milliseconds after it was
   * committed (default 0: the development verifier needs no proof, so it is proven at once). A real
   * prover takes time; this shows what a user waits for with proven finality, and what committed
   * finality saves (docs/protocol.md §12).
   */
  proofDelayMs?: number
}

/** The chain has no settlement contract on the settlement layer its blocks settle on. */
export class NoSettlementContractError extends JunctionError {
  override name = 'NoSettlementContractError'
  constructor(chain: string, slChainId: number) {
    super(`${chain} has no settlement contract on settlement layer ${slChainId}`, { details: 'The manifest lists the settlement contracts of each chain (settlements); this one is missing.' })
  }
}

/** A private chain's batch has no transaction hashes in the operator's store: its value summary cannot be given to the Gateway. */
export class BatchDataMissingError extends JunctionError {
  override name = 'BatchDataMissingError'
  constructor(chain: string, batchNumber: number) {
    super(`the store keeps no transaction hashes of batch ${batchNumber} of the private chain ${chain}`, {
      details: "A private chain's batch is approved on the Gateway from its value summary and the hash of its transactions, which the batcher keeps (batch_data). Was the store replaced while the chain kept its batches?",
    })
  }
}

/** A batch imported an interop root that is not in its settlement layer's root history: it can never execute. */
export class BatchCannotSettleError extends JunctionError {
  override name = 'BatchCannotSettleError'
  constructor(chain: string, batchNumber: number) {
    super(`batch ${batchNumber} of ${chain} imported a root its settlement layer does not accept: it cannot be executed`, {
      details: "The chain's operator imported a root that was never a settlement-layer root. The chain cannot settle past this batch; messages in earlier batches are unaffected.",
    })
  }
}

/**
 * The DEVELOPMENT proof sent with `proveBatches`. It is not a zero-knowledge proof: the
 * settlement layer checks it with `DevelopmentVerifier`, which accepts anything on development
 * chain ids and refuses to run anywhere else.
 */
export const DEVELOPMENT_PROOF: Hex = '0x'

/**
 * Most batches in a prove or execute sent right behind the step before it, not mined yet (pipelined): its
 * gas cannot be estimated then (the settlement contract would refuse it before that step), so it is sent
 * with {@link pipelinedGas}, kept well inside a block. More batches wait for the next round.
 */
export const PIPELINE_MAX_BATCHES = 20

/**
 * The gas a pipelined `proveBatches` / `executeBatches` is sent with: above what they use (npm run gas:
 * prove 60.5k and execute 205k-255k for one batch), unused gas is not paid for.
 */
export const pipelinedGas = {
  /**
   * A commit, sent without an estimate (one round trip less per round): ~60k fixed and ~35k per batch (a new
   * slot, its hash, its event, its calldata; npm run gas: 85.5k-105.4k for one batch), with room to spare.
   */
  commit: (batches: number): bigint => 150_000n + 60_000n * BigInt(batches),
  prove: (batches: number): bigint => 100_000n + 40_000n * BigInt(batches),
  execute: (batches: number, roots: number): bigint => 200_000n + 400_000n * BigInt(batches) + 60_000n * BigInt(roots),
  /**
   * An asset tracker's approval sent right behind the commit (bench: ~62k gas per message approved, more for one
   * that moves value): 100k per batch and per leaf or value line, 16 per revealed payload byte. Should it fall
   * short, the approval and the execution behind it revert, and the next round approves the proven batches
   * the careful way (`#approve`).
   */
  approve: (approvals: readonly BatchApproval[]): bigint =>
    150_000n +
    approvals.reduce(
      (sum, a) =>
        sum +
        100_000n +
        (a.messages
          ? 100_000n * BigInt(a.messages.senders.length) + 16n * BigInt(a.messages.payloads.reduce((bytes, payload) => bytes + (payload.length - 2) / 2, 0))
          : 100_000n * BigInt(a.value.moves.length + a.value.failedDeposits.length)),
      0n,
    ),
}

/** Above this, an approval is not sent pipelined (its execution waits for the next round, as before). */
const PIPELINED_APPROVAL_MAX_GAS = 12_000_000n

type Row = { batch_number: number; commitment: string; imported_roots: string }

/** One step sent and not mined yet: its batches, and what to record once it is. */
type Sent = { stage: Stage; rows: Row[]; receipt: Promise<{ transactionHash: Hex }>; after?: () => void }

type Stage = { from: 'sealed' | 'committed' | 'proven'; to: 'committed' | 'proven' | 'executed' }
const STAGES: Stage[] = [
  { from: 'sealed', to: 'committed' },
  { from: 'committed', to: 'proven' },
  { from: 'proven', to: 'executed' },
]

/**
 * Takes a chain's sealed batches through its settlement contract: commit, prove (with the
 * development verifier: not a zero-knowledge proof), execute with the interop roots each batch
 * imported. The settlement layer is the source of truth: on its first tick (and after any failure)
 * the submitter reads the contract's totals, so a restart neither skips nor repeats a step.
 *
 * The steps are pipelined: in one round the commit of the sealed batches, the proof of those and of the
 * batches committed before, and the execution of all these and of the batches proven before are sent
 * back to back, each without waiting for the one before it to be mined (one key, nonces in order, so the
 * settlement layer mines them in that order, in one block when its producer finds them together); the
 * proof is still its own `proveBatches` transaction, checked by the development verifier. Then the round
 * waits for the receipts, in order, and records each step. A step the node refuses stops the round there
 * (nothing after it is sent, the key's next nonce is read again); one that reverts mined makes the ones
 * behind it revert too; either way the next round starts from the contract's totals. With a simulated
 * prover (`proofDelayMs`) a batch is proven in a later round. On a settlement layer whose asset tracker
 * approves batches (a Gateway) the tracker's approval of the batches just committed is sent between their
 * proof and their execution, also without waiting; batches proven in an earlier round (an approval refused,
 * a round that failed) are approved first the careful way, waiting for each answer, and execute after it.
 * The commit, the first step, is sent with a fixed gas limit rather than an estimate, as the later steps
 * are (`pipelinedGas`): one round trip less per round; after a failed round it is estimated first.
 *
 * Each batch goes to the settlement layer its blocks settle on (the chain's epoch, docs/protocol.md
 * §11): after a move, the batches after the last one settled on the old layer wait until the chain's
 * settlement contract on the new one is active, then continue there.
 *
 * @example
 * ```ts
 * const submitter = new BatchSubmitter({ store, chain: alpha, settlementLayers, topology: () => topologyOf(manifest, store) })
 * await submitter.tick()
 * ```
 */
export class BatchSubmitter {
  readonly #p: Required<BatchSubmitterParameters>
  /** Where the batches go now: a settlement layer, the chain's contract there, and the blocks of that epoch. */
  #target: { sl: ChainConnection; settlement: Hex; fromBlock: number; toBlock: number; messageRoot?: Hex } | undefined
  #synced = false
  /**
   * After a round that failed, the next commit is estimated first: a commit the settlement layer would refuse
   * (an overdue priority request, a chain on its way elsewhere) is then refused before it is sent, instead of
   * being mined reverted round after round.
   */
  #estimateCommit = false

  constructor(parameters: BatchSubmitterParameters) {
    this.#p = { maxBatchesPerTransaction: 100, proofDelayMs: 0, valueApprovers: new Map(), ...parameters }
  }

  /**
   * With a simulated prover (`proofDelayMs`), when the oldest committed batch may be proven: nothing else
   * announces it.
   */
  wakeAt(): number | undefined {
    if (this.#p.proofDelayMs === 0) return undefined
    const row = statement(this.#p.store, `SELECT MIN(committed_at) AS t FROM batches WHERE chain_id = ? AND status = 'committed'`).get(this.#p.chain.chainId) as { t: number | null }
    return row.t === null ? undefined : row.t + this.#p.proofDelayMs
  }

  /** Advances every stage that has work; resolves `true` if it sent anything. */
  async tick(): Promise<boolean> {
    if (!this.#retarget()) return false
    if (!this.#synced && !(await this.#syncFromChain())) return false
    // While the chain moves to another settlement layer, nothing new is committed (docs/protocol.md §11);
    // an operator may hold its proofs.
    const paused = { committed: isPauseRequested(this.#p.store, 'commits', this.#p.chain.chainId), proven: isPauseRequested(this.#p.store, 'proofs', this.#p.chain.chainId), executed: false }
    const sent: Sent[] = []
    let failure: { error: unknown } | undefined
    try {
      for (const stage of STAGES) {
        if (paused[stage.to]) continue
        const step = await this.#advance(stage, sent.at(-1))
        if (!step) continue
        // Awaited in order below; a later step failing meanwhile is not an unhandled rejection.
        step.receipt.catch(() => undefined)
        sent.push(step)
      }
    } catch (error) {
      // Refused before it was sent: nothing behind it is sent; what was sent is still recorded below.
      failure = { error }
    }
    // Recorded in order (a prove's receipt may come before its commit's): a later step never goes back.
    for (const step of sent) {
      try {
        const receipt = await step.receipt
        this.#record(step, receipt.transactionHash)
      } catch (error) {
        failure ??= { error }
      }
    }
    if (failure) {
      this.#synced = false
      this.#estimateCommit = true
      throw failure.error
    }
    if (sent.length > 0) this.#estimateCommit = false
    return sent.length > 0
  }

  /** `step` is mined: its batches move to its stage. */
  #record(step: Sent, transactionHash: Hex): void {
    const { store, chain } = this.#p
    const column = { committed: 'commit', proven: 'prove', executed: 'execute' }[step.stage.to]
    statement(store, `UPDATE batches SET status = ?, ${step.stage.to}_at = ?, ${column}_tx = ? WHERE chain_id = ? AND batch_number BETWEEN ? AND ?`)
      .run(step.stage.to, Date.now(), transactionHash, chain.chainId, step.rows[0]!.batch_number, step.rows[step.rows.length - 1]!.batch_number)
    step.after?.()
  }

  /** Points the submitter at the settlement layer of the first batch not executed yet; false when there is none. */
  #retarget(): boolean {
    const { store, chain } = this.#p
    const next = statement(store, `SELECT first_block FROM batches WHERE chain_id = ? AND status != 'executed' ORDER BY batch_number LIMIT 1`).get(chain.chainId) as
      | { first_block: number }
      | undefined
    if (!next) return false
    const { slChainId, fromBlock, toBlock } = epochAt(this.#p.topology(), chain.chainId, next.first_block)
    const settlement = chain.settlements.find((s) => s.slChainId === slChainId)?.address
    const sl = this.#p.settlementLayers.get(slChainId)
    if (!settlement || !sl) throw new NoSettlementContractError(chain.name, slChainId)
    if (this.#target?.settlement !== settlement || this.#target.fromBlock !== fromBlock) {
      this.#target = { sl, settlement, fromBlock, toBlock }
      this.#synced = false
    }
    return true
  }

  /**
   * Sends `stage` for the batches ready for it: those the store holds at the stage before, then those
   * `behind` (the step just sent, not mined yet) moves there, consecutive; resolves with what it sent.
   */
  async #advance(stage: Stage, behind: Sent | undefined): Promise<Sent | undefined> {
    const { store, chain } = this.#p
    const { sl, settlement, fromBlock, toBlock } = this.#target!
    // The simulated prover takes `proofDelayMs` per batch, counted from its commit.
    const readyBefore = stage.to === 'proven' ? Date.now() - this.#p.proofDelayMs : Number.MAX_SAFE_INTEGER
    const max = this.#p.maxBatchesPerTransaction
    const rows = statement(store, 
        `SELECT batch_number, commitment, imported_roots FROM batches WHERE chain_id = ? AND status = ? AND first_block >= ? AND first_block < ? AND COALESCE(committed_at, 0) <= ? ORDER BY batch_number LIMIT ?`,
      )
      .all(chain.chainId, stage.from, fromBlock, toBlock, readyBefore, max) as Row[]
    // Behind a step not mined yet: its batches, when this stage may follow at once (no prover delay; on a
    // settlement layer with an asset tracker, only when no batch proven before waits for execution: those are
    // approved the careful way first, `#approve`), and the stored ones leave room.
    let pipelined = 0
    const approver = this.#p.valueApprovers.has(sl.chainId)
    const follows = behind?.stage.to === stage.from && (stage.to === 'proven' ? this.#p.proofDelayMs === 0 : !approver || rows.length === 0)
    if (behind && follows && (rows.length === 0 || behind.rows[0]!.batch_number === rows.at(-1)!.batch_number + 1)) {
      const room = Math.min(max, PIPELINE_MAX_BATCHES) - rows.length
      if (room > 0) {
        const more = behind.rows.slice(0, room)
        rows.push(...more)
        pipelined = more.length
      }
    }
    if (rows.length === 0) return undefined
    // A stage only moves batches whose previous stage is done (or sent just before) for every earlier batch.
    const batches = rows.map((r) => fromStoredJson<BatchCommitment>(r.commitment))
    const key = chain.operator.privateKey
    const common = { address: settlement, abi: c.chainSettlementAbi } as const
    if (stage.to === 'committed') {
      return { stage, rows, receipt: (await sl.submit(key, { ...common, functionName: 'commitBatches', args: [batches], action: `commit ${chain.name} batches`, gas: this.#estimateCommit ? undefined : pipelinedGas.commit(batches.length) })).receipt }
    }
    if (stage.to === 'proven') {
      const gas = pipelined > 0 ? pipelinedGas.prove(batches.length) : undefined
      return { stage, rows, receipt: (await sl.submit(key, { ...common, functionName: 'proveBatches', args: [batches, DEVELOPMENT_PROOF], action: `prove ${chain.name} batches`, gas })).receipt }
    }
    // A batch that imported a root the settlement layer never had cannot execute; send the
    // batches before it, so one bad import does not hold back the good batches in its company.
    const roots = rows.map((r) => fromStoredJson<ImportedRoot[]>(r.imported_roots))
    const stored = rows.length - pipelined
    let { good, waiting } = await this.#batchesWithRealRoots(roots)
    // A batch that imported a committed source batch (§12) waits until that batch is executed: forever if it never is.
    if (good === 0 && waiting) return undefined
    if (good === 0) throw new BatchCannotSettleError(chain.name, Number(batches[0]!.batchNumber))
    // On a Gateway the asset tracker approves each batch first: batches just committed in this round with an
    // approval sent right behind their proof (pipelined), others the careful way, where one that moves more than
    // the chain holds waits.
    let approval: Promise<unknown> | undefined
    if (approver && stored === 0) {
      const sent = await this.#approvePipelined(batches.slice(0, good))
      if (!sent) return undefined
      approval = sent.mined
    } else {
      const approved = await this.#approve(batches.slice(0, good))
      if (approved === 0) return undefined
      good = approved
    }
    rows.length = good
    const gas = good > stored ? pipelinedGas.execute(good, roots.slice(0, good).reduce((sum, list) => sum + list.length, 0)) : undefined
    const { receipt } = await sl.submit(key, { ...common, functionName: 'executeBatches', args: [batches.slice(0, good), roots.slice(0, good)], action: `execute ${chain.name} batches`, gas })
    // The execution is mined only if its approval was: a reverted approval fails the round, and the next one
    // starts from the contract's totals.
    const executed = approval ? Promise.all([approval, receipt]).then(([, mined]) => mined) : receipt
    // Executed batches wait for nothing (also when someone else had them approved).
    return { stage, rows, receipt: executed, after: () => clearApprovalWaits(store, chain.chainId, Number(batches[good - 1]!.batchNumber)) }
  }

  /**
   * On a settlement layer with an asset tracker: has it approve the leading `batches` that hold messages
   * and are not approved yet (from the index, `revealBatchMessages`), as few transactions as their size
   * allows, and resolves with how many of them may execute now. If the tracker refuses a group because
   * its chain holds less than one moves (`InsufficientChainBalance`: a credit from L1 may be on its way),
   * that group is approved one by one up to it, and the count stops there; it is tried again next
   * round. Elsewhere, all of them.
   */
  async #approve(batches: BatchCommitment[]): Promise<number> {
    const { chain } = this.#p
    const target = this.#target!
    const tracker = this.#p.valueApprovers.get(target.sl.chainId)
    if (!tracker) return batches.length
    const contract = { address: tracker, abi: c.gatewayAssetTrackerAbi } as const
    const approved = await Promise.all(batches.map((batch) => target.sl.client.readContract({ ...contract, functionName: 'isApproved', args: [BigInt(chain.chainId), batch.batchNumber, batch.messageRoot] })))
    const pending = batches.filter((_, i) => !approved[i])
    if (pending.length === 0) return batches.length
    const send = (group: BatchApproval[]) => target.sl.write(chain.operator.privateKey, this.#approvalCall(tracker, group))
    const refusedForBalance = (error: unknown): error is ContractRevertedError => error instanceof ContractRevertedError && error.errorName === 'InsufficientChainBalance'
    for (const group of approvalGroups(this.#reveal(pending))) {
      try {
        await send(group)
        this.#approvedNow(group.map((g) => g.batch))
        continue
      } catch (error) {
        if (!refusedForBalance(error)) throw error
      }
      for (const one of group) {
        try {
          await send([one])
          this.#approvedNow([one.batch])
        } catch (error) {
          if (!refusedForBalance(error)) throw error
          this.#waitsForCredit(one.batch, error)
          return batches.indexOf(one.batch)
        }
      }
    }
    return batches.length
  }

  /**
   * On a settlement layer with an asset tracker, for `batches` committed and proven just before in this round
   * (not mined yet): sends their approval right behind the proof, as few transactions as their size allows,
   * without waiting, and resolves with the promise of its receipts (wrapped: an async function would wait for a
   * promise it returns); undefined (nothing sent) when the approval
   * would be too large to send with a fixed gas limit: the batches are then approved the careful way next round.
   */
  async #approvePipelined(batches: BatchCommitment[]): Promise<{ mined: Promise<unknown> } | undefined> {
    const tracker = this.#p.valueApprovers.get(this.#target!.sl.chainId)!
    const groups = approvalGroups(this.#reveal(batches))
    const gas = groups.map((group) => pipelinedGas.approve(group))
    if (gas.some((g) => g > PIPELINED_APPROVAL_MAX_GAS)) return undefined
    const receipts: Promise<unknown>[] = []
    for (const [i, group] of groups.entries()) {
      const { receipt } = await this.#target!.sl.submit(this.#p.chain.operator.privateKey, { ...this.#approvalCall(tracker, group), gas: gas[i] })
      const mined = receipt.then(() => this.#approvedNow(group.map((g) => g.batch)))
      // Awaited with the execution; one that fails before the others are sent is not an unhandled rejection.
      mined.catch(() => undefined)
      receipts.push(mined)
    }
    return { mined: Promise.all(receipts) }
  }

  /** What the asset tracker is shown of `batches`: their messages, or a private chain's value summaries. */
  #reveal(batches: BatchCommitment[]): BatchApproval[] {
    const { store, l2Contracts, chain } = this.#p
    return batches.map((batch): BatchApproval => {
      const blocks = { firstBlock: Number(batch.firstBlock), lastBlock: Number(batch.lastBlock) }
      if (!isValidiumBatch(batch)) return { batch, messages: revealBatchMessages(store, l2Contracts, chain.chainId, blocks) }
      return { batch, value: validiumBatchValue(store, l2Contracts, chain.chainId, blocks, this.#keptTransactionHashes(Number(batch.batchNumber))) }
    })
  }

  /** The asset tracker's approval of `group` (one kind of batch: `approveBatches` or `approveValidiumBatches`). */
  #approvalCall(tracker: Address, group: BatchApproval[]) {
    const { chain } = this.#p
    const args = [BigInt(chain.chainId), group.map((g) => g.batch)] as const
    const common = { address: tracker, abi: c.gatewayAssetTrackerAbi, action: `approve ${chain.name} batches` } as const
    if (group[0]!.value) return { ...common, functionName: 'approveValidiumBatches', args: [...args, group.map((g) => g.value!)] } as const
    return { ...common, functionName: 'approveBatches', args: [...args, group.map((g) => g.messages!)] } as const
  }

  /** The transaction hashes the batcher kept for a private chain's batch (`batch_data`). */
  #keptTransactionHashes(batchNumber: number): Hex[] {
    const row = statement(this.#p.store, 'SELECT transaction_hashes FROM batch_data WHERE chain_id = ? AND batch_number = ?').get(this.#p.chain.chainId, batchNumber) as { transaction_hashes: string } | undefined
    if (!row) throw new BatchDataMissingError(this.#p.chain.name, batchNumber)
    return JSON.parse(row.transaction_hashes) as Hex[]
  }

  /** Records that the tracker refused `batch` for now (its chain holds less than it moves): it waits for a credit. */
  #waitsForCredit(batch: BatchCommitment, refusal: ContractRevertedError): void {
    const [, assetId, balance, amount] = refusal.errorArgs as [bigint, Hex, bigint, bigint]
    recordApprovalWait(this.#p.store, { chainId: this.#p.chain.chainId, batchNumber: Number(batch.batchNumber), slChainId: this.#target!.sl.chainId, assetId, balance, amount })
  }

  /** The tracker approved `batches`: none of them waits any more. */
  #approvedNow(batches: BatchCommitment[]): void {
    clearApprovalWaits(this.#p.store, this.#p.chain.chainId, Math.max(...batches.map((batch) => Number(batch.batchNumber))))
  }

  /**
   * How many of the leading batches imported only roots the settlement layer accepts (its own
   * history, or on a Gateway the L1 roots the Gateway imported): the settlement contract's own rule,
   * `MessageRoot.acceptedRoot`. `waiting`: the first batch that cannot execute yet imported a
   * committed source batch (§12) that is not executed yet (it may be later), rather than a bad root.
   */
  async #batchesWithRealRoots(roots: ImportedRoot[][]): Promise<{ good: number; waiting: boolean }> {
    const target = this.#target!
    target.messageRoot ??= (await target.sl.client.readContract({ address: target.settlement, abi: c.chainSettlementAbi, functionName: 'messageRoot' })) as Hex
    const messageRoot = target.messageRoot
    // Asked all at once (each is a round trip to the settlement layer), judged in order.
    const answers = await Promise.all(
      roots.map((list) => Promise.all(list.map((root) => target.sl.client.readContract({ address: messageRoot, abi: c.messageRootAbi, functionName: 'acceptedRoot', args: [root.slChainId, root.slBlockNumber] }) as Promise<readonly [boolean, Hex]>))),
    )
    for (const [i, list] of roots.entries()) {
      for (const [j, root] of list.entries()) {
        const [accepted, known] = answers[i]![j]!
        if (!accepted || known !== root.root) return { good: i, waiting: accepted && BigInt(known) === 0n && isCommittedBatchKey(root.slBlockNumber) }
      }
    }
    return { good: roots.length, waiting: false }
  }

  /**
   * Reads the settlement contract's totals and brings the stored statuses in line with them; false
   * (nothing done) while the contract is not active yet (the chain is on its way to that layer).
   */
  async #syncFromChain(): Promise<boolean> {
    const { store, chain } = this.#p
    const { sl, settlement } = this.#target!
    const read = (functionName: 'totalCommitted' | 'totalProven' | 'totalExecuted' | 'active') => sl.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName })
    if (!(await read('active'))) return false
    const [committed, proven, executed] = (await Promise.all([read('totalCommitted'), read('totalProven'), read('totalExecuted')])) as bigint[]
    store.transaction(() => {
      const set = statement(store, `UPDATE batches SET status = ? WHERE chain_id = ? AND batch_number <= ? AND batch_number > ?`)
      set.run('executed', chain.chainId, Number(executed), 0)
      set.run('proven', chain.chainId, Number(proven), Number(executed))
      set.run('committed', chain.chainId, Number(committed), Number(proven))
      set.run('sealed', chain.chainId, Number.MAX_SAFE_INTEGER, Number(committed))
    })()
    this.#synced = true
    return true
  }
}
