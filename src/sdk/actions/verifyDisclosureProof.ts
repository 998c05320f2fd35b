import { isAddressEqual, zeroAddress, zeroHash, type Address, type Hex, type PublicClient } from 'viem'
import { getChainId, readContract } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import { DisclosureProofInvalidError } from '../../errors/disclosure.js'
import { asBalanceDisclosure, checkBalanceDisclosure, type BalanceDisclosure, type BalanceDisclosureJson, type DisclosedAccount } from '../../protocol/index.js'

/** Parameters of {@link verifyDisclosureProof}. */
export type VerifyDisclosureProofParameters = {
  /** The disclosure, as an object or as its JSON (parsed, e.g. `JSON.parse(readFileSync(file, 'utf8'))`). */
  disclosure: BalanceDisclosure | BalanceDisclosureJson | unknown
  /**
   * The ChainRegistry of the settlement layer the client reads, as the verifier knows it (the network's
   * manifest: `l1.contracts.chainRegistry`, or a Gateway's `gatewayContracts.chainRegistry`). Not taken
   * from the disclosure: anyone can deploy a registry that says what they like.
   */
  chainRegistry: Address
  /** The slot of the token's `balanceOf` mapping, as the verifier knows the token. Default: Junction's tokens' (3). */
  balancesSlot?: bigint | undefined
}

/** What {@link verifyDisclosureProof} resolves with: what the disclosure proves. */
export type VerifyDisclosureProofReturnType = {
  chainId: number
  token: Address
  holder: Address
  /** The holder's balance at the batch's last block. */
  value: bigint
  batchNumber: bigint
  /** The chain's block the balance is read at (the batch's last block). */
  blockNumber: bigint
  /** The batch's timestamp (of its last block). */
  timestamp: bigint
  stateRoot: Hex
  /** The settlement layer the batch is executed on. */
  settlementLayerChainId: number
  /** The number of the chain's batches executed there now (at least `batchNumber`). */
  executedBatches: bigint
  /** The token's account at the batch (its code hash tells which code the token runs). */
  account: DisclosedAccount
}

/**
 * Verifies a balance disclosure from public data only (docs/prividium.md, "Selective disclosure"): on the
 * settlement layer `client` reads, the chain's ChainSettlement (from the ChainRegistry the verifier
 * trusts) holds the commitment's hash as the batch's (`batchHashes(n)`) and has executed it
 * (`totalExecuted() >= n`); the account proof leads from the commitment's state root to the token's
 * storage root; the storage proof from there to the holder's balance slot; its value is the one
 * disclosed. Finality: the batch is executed on the settlement layer the chain settled it on (on a
 * Gateway, that Gateway's own state: its batch to L1 is not checked here).
 *
 * @throws {DisclosureProofInvalidError} naming the step that failed.
 * @example
 * ```ts
 * const l1 = createPublicClient({ transport: http(manifest.l1.rpcUrl) })
 * const { holder, value, batchNumber } = await verifyDisclosureProof(l1, { disclosure: JSON.parse(text), chainRegistry: manifest.l1.contracts.chainRegistry })
 * ```
 */
export async function verifyDisclosureProof(client: PublicClient, parameters: VerifyDisclosureProofParameters): Promise<VerifyDisclosureProofReturnType> {
  const disclosure = asBalanceDisclosure(parameters.disclosure)
  const batchNumber = disclosure.commitment.batchNumber
  const slChainId = await getChainId(client)
  if (slChainId !== disclosure.settlementLayer.chainId) settlementError(`the batch settled on chain ${disclosure.settlementLayer.chainId}, the RPC given is chain ${slChainId}`)
  const registry = { address: parameters.chainRegistry, abi: c.chainRegistryAbi } as const
  const chainSettlement = (await readContract(client, { ...registry, functionName: 'settlementOf', args: [BigInt(disclosure.chainId)] })) as Address
  if (isAddressEqual(chainSettlement, zeroAddress)) settlementError(`chain ${disclosure.chainId} has no ChainSettlement in registry ${parameters.chainRegistry}`)
  if (!isAddressEqual(chainSettlement, disclosure.settlementLayer.chainSettlement)) settlementError(`the disclosure names ChainSettlement ${disclosure.settlementLayer.chainSettlement}, the registry's for chain ${disclosure.chainId} is ${chainSettlement}`)
  const settlement = { address: chainSettlement, abi: c.chainSettlementAbi } as const
  const [settledHash, executed] = await Promise.all([readContract(client, { ...settlement, functionName: 'batchHashes', args: [batchNumber] }), readContract(client, { ...settlement, functionName: 'totalExecuted' })])
  if (settledHash === zeroHash) settlementError(`chain ${disclosure.chainId} has not committed batch ${batchNumber} here`)
  const { value, account } = await checkBalanceDisclosure(disclosure, { settledBatchHash: settledHash, balancesSlot: parameters.balancesSlot })
  if (executed < batchNumber) throw new DisclosureProofInvalidError({ step: 'finality', reason: `batch ${batchNumber} is committed, not executed: chain ${disclosure.chainId} has ${executed} batches executed on chain ${slChainId}` })
  return {
    chainId: disclosure.chainId,
    token: disclosure.token,
    holder: disclosure.holder,
    value,
    batchNumber,
    blockNumber: disclosure.commitment.lastBlock,
    timestamp: disclosure.commitment.timestamp,
    stateRoot: disclosure.commitment.stateRoot,
    settlementLayerChainId: slChainId,
    executedBatches: executed,
    account,
  }
}

function settlementError(reason: string): never {
  throw new DisclosureProofInvalidError({ step: 'settlement', reason })
}

