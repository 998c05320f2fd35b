import { decodeFunctionData, getAbiItem, getAddress, isAddressEqual, zeroAddress, type Account, type Address, type Chain, type Client, type PublicClient, type Transport } from 'viem'
import { getBlockNumber, getChainId, getLogs, getProof, getTransaction, readContract } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import { DisclosureChainNotSettledError, DisclosureRevealsNeighbourError, DisclosureStateUnavailableError, DisclosureTokenAbsentError } from '../../errors/disclosure.js'
import { JunctionError } from '../../errors/JunctionError.js'
import type { NetworkManifest } from '../../network/types.js'
import { disclosureSettlementLayer } from '../disclosureSettlementLayer.js'
import { balanceSlot, batchHash, checkBalanceDisclosure, JUNCTION_TOKEN_BALANCES_SLOT, proofEndsInLeaf, type BalanceDisclosure, type BatchCommitment } from '../../protocol/index.js'

/** A settlement layer as a disclosure reads it: a client of it and its ChainRegistry. */
export type DisclosureSettlementLayer = { client: PublicClient; chainRegistry: Address }

/** Parameters of {@link getDisclosureProof}. */
export type GetDisclosureProofParameters = {
  /** The token (for Junction's BridgedToken and TestToken the default `balancesSlot` is right). */
  token: Address
  /** Whose balance. Default: the client's account. */
  holder?: Address | undefined
  /** The slot of the token's `balanceOf` mapping. Default {@link JUNCTION_TOKEN_BALANCES_SLOT} (Junction's tokens). */
  balancesSlot?: bigint | undefined
  /**
   * The batch to disclose at. Default: the newest executed batch if the node still has the state of its last
   * block, else the newest committed one (the disclosure verifies once that batch is executed).
   */
  batchNumber?: bigint | undefined
  /** The settlement layer the chain settles on now. Give it, or `manifest` to find it (L1's ChainRegistry says where the chain settles). */
  settlement?: DisclosureSettlementLayer | undefined
  manifest?: Pick<NetworkManifest, 'l1' | 'chains'> | undefined
}

/** What {@link getDisclosureProof} resolves with. */
export type GetDisclosureProofReturnType = {
  disclosure: BalanceDisclosure
  /** Whether the batch is executed on the settlement layer already (if not, verification fails at `finality` until it is). */
  executed: boolean
}

/** keccak256 of empty code: an account without code (or no account at all, as eth_getProof answers it). */
const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

const batchCommittedEvent = getAbiItem({ abi: c.chainSettlementAbi, name: 'BatchCommitted' })

/**
 * Makes a disclosure of one balance: a proof, anyone can check against the settlement layer, that `holder`
 * held `value` of `token` at the last block of a batch the chain committed there (docs/prividium.md,
 * "Selective disclosure"). Reads the batch's commitment from its commit transaction on the settlement
 * layer, asks the chain's node (through the permissioned RPC on a private chain, signed in as the holder)
 * for `eth_getProof` of the token's balance slot at the batch's last block, and checks the proof against
 * the committed state root before returning it.
 *
 * Junction's nodes keep the state of their last 64 blocks only: disclose soon after a batch is committed
 * (the default takes the newest one whose state is still there); otherwise
 * {@link DisclosureStateUnavailableError} says what to do. A zero balance whose proof would end in another
 * holder's leaf is refused ({@link DisclosureRevealsNeighbourError}).
 *
 * @example
 * ```ts
 * const alpha = createPublicClient({ transport: http(chain.rpcUrl) })
 * const { disclosure, executed } = await getDisclosureProof(alpha, { token, holder, manifest })
 * writeFileSync('disclosure.json', JSON.stringify(balanceDisclosureToJson(disclosure), null, 2))
 * ```
 */
export async function getDisclosureProof(client: Client<Transport, Chain | undefined, Account | undefined>, parameters: GetDisclosureProofParameters): Promise<GetDisclosureProofReturnType> {
  const holderGiven = parameters.holder ?? client.account?.address
  if (holderGiven === undefined) throw new JunctionError('getDisclosureProof: whose balance? Give `holder`, or a client with an account')
  const holder = getAddress(holderGiven)
  const token = getAddress(parameters.token)
  const balancesSlot = parameters.balancesSlot ?? JUNCTION_TOKEN_BALANCES_SLOT
  const slot = balanceSlot({ holder, balancesSlot })
  const chainId = await getChainId(client)
  const settlementLayer = parameters.settlement ?? (await settlementLayerFromManifest(chainId, parameters.manifest))
  const sl = settlementLayer.client
  const chainSettlement = (await readContract(sl, { address: settlementLayer.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementOf', args: [BigInt(chainId)] })) as Address
  if (isAddressEqual(chainSettlement, zeroAddress)) throw new DisclosureChainNotSettledError(chainId, `the settlement layer of registry ${settlementLayer.chainRegistry}`)
  const settlement = { address: chainSettlement, abi: c.chainSettlementAbi } as const
  const [committed, executed, slChainId] = await Promise.all([readContract(sl, { ...settlement, functionName: 'totalCommitted' }), readContract(sl, { ...settlement, functionName: 'totalExecuted' }), getChainId(sl)])

  const candidates = parameters.batchNumber !== undefined ? [parameters.batchNumber] : [...new Set([executed, committed])].filter((n) => n > 0n)
  const tried: { batchNumber: bigint; lastBlock: bigint }[] = []
  let lastError: unknown
  for (const batchNumber of candidates) {
    const commitment = await committedBatch(sl, chainSettlement, batchNumber)
    let proof: Awaited<ReturnType<typeof getProof>>
    try {
      proof = await getProof(client, { address: token, storageKeys: [slot], blockNumber: commitment.lastBlock })
    } catch (error) {
      if (!isPrunedState(error)) throw error
      tried.push({ batchNumber, lastBlock: commitment.lastBlock })
      lastError = error
      continue
    }
    if (proof.codeHash === EMPTY_CODE_HASH) throw new DisclosureTokenAbsentError({ token, batchNumber, blockNumber: commitment.lastBlock })
    const storage = proof.storageProof[0]
    if (storage === undefined) throw new JunctionError(`the node answered eth_getProof of ${token} without the proof of slot ${slot}`)
    const disclosure: BalanceDisclosure = {
      chainId,
      settlementLayer: { chainId: slChainId, chainRegistry: settlementLayer.chainRegistry, chainSettlement },
      commitment,
      batchHash: batchHash(commitment),
      token,
      holder,
      balancesSlot,
      slot,
      value: storage.value,
      accountProof: proof.accountProof,
      storageProof: storage.proof,
    }
    if (disclosure.value === 0n && proofEndsInLeaf(disclosure.storageProof)) throw new DisclosureRevealsNeighbourError({ token, holder, batchNumber })
    // The node's state at the batch's last block must be the state the batch committed to.
    await checkBalanceDisclosure(disclosure, { settledBatchHash: disclosure.batchHash, balancesSlot })
    return { disclosure, executed: batchNumber <= executed }
  }
  throw new DisclosureStateUnavailableError({ chainId, tried, head: tried.length > 0 ? await getBlockNumber(client, { cacheTime: 0 }) : undefined, cause: lastError })
}

/** Where the chain settles now, from the manifest: L1's ChainRegistry names the layer (L1 or a Gateway). */
async function settlementLayerFromManifest(chainId: number, manifest: GetDisclosureProofParameters['manifest']): Promise<DisclosureSettlementLayer> {
  if (manifest === undefined) throw new JunctionError('getDisclosureProof: give `settlement` (a client of the settlement layer and its ChainRegistry) or `manifest`')
  const l1 = disclosureSettlementLayer(manifest, manifest.l1.chainId)
  const slChainId = Number(await readContract(l1.client, { address: l1.chainRegistry, abi: c.chainRegistryAbi, functionName: 'settlementLayerOf', args: [BigInt(chainId)] }))
  return slChainId === manifest.l1.chainId ? l1 : disclosureSettlementLayer(manifest, slChainId, chainId)
}

/** Batch `batchNumber`'s commitment, from the calldata of the `commitBatches` transaction that committed it. */
async function committedBatch(sl: PublicClient, chainSettlement: Address, batchNumber: bigint): Promise<BatchCommitment> {
  const logs = await getLogs(sl, { address: chainSettlement, event: batchCommittedEvent, args: { batchNumber }, fromBlock: 0n, toBlock: 'latest' })
  const log = logs.at(-1)
  if (log === undefined) throw new JunctionError(`batch ${batchNumber} is not committed on ChainSettlement ${chainSettlement}`)
  const tx = await getTransaction(sl, { hash: log.transactionHash })
  const call = decodeFunctionData({ abi: c.chainSettlementAbi, data: tx.input })
  if (call.functionName !== 'commitBatches') throw new JunctionError(`batch ${batchNumber} was committed by ${log.transactionHash}, which is not a direct commitBatches call: its commitment cannot be read from the calldata`)
  const commitment = (call.args[0] as readonly BatchCommitment[]).find((batch) => batch.batchNumber === batchNumber)
  if (commitment === undefined || batchHash(commitment) !== log.args.batchHash) throw new JunctionError(`the calldata of ${log.transactionHash} does not hold the batch ${batchNumber} it committed`)
  return { ...commitment }
}

/** A node's refusal to answer for a block whose state it no longer keeps (anvil's pruned history; geth's and reth's messages alike). */
function isPrunedState(error: unknown): boolean {
  const text = `${(error as { details?: unknown }).details ?? ''} ${(error as Error).message ?? ''}`
  return /BlockOutOfRange|missing trie node|historical state|state (is )?not available|pruned|header not found/i.test(text)
}
