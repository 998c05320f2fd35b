// Balance disclosures (docs/prividium.md, "Selective disclosure"): a proof of one storage slot of a token
// (a holder's balance) at the last block of a batch, against the state root the batch committed on its
// settlement layer. What is pure lives here: the balance slot, the disclosure's JSON form, and the
// checks of the commitment, the slot and the two Merkle-Patricia proofs (@ethereumjs/mpt). Whether the
// batch is the chain's settled batch is read from the settlement layer by the SDK (verifyDisclosureProof).
import { verifyMerkleProof as verifyMptProof } from '@ethereumjs/mpt'
import { bytesToHex, encodeAbiParameters, fromRlp, getAddress, hexToBigInt, hexToBytes, isAddress, isHex, keccak256, type Address, type Hex } from 'viem'
import { DisclosureProofInvalidError } from '../errors/disclosure.js'
import { batchCommitmentAbiParameter, batchHash, type BatchCommitment } from './batch.js'

/**
 * The slot of the `balanceOf` mapping in Junction's ERC-20 (`contracts/common/ERC20.sol`), and so in
 * `BridgedToken` and `TestToken`: after `name` (0), `symbol` (1) and `totalSupply` (2); `decimals` is
 * immutable. Pinned against solc's storage layout by `disclosure.test.ts`.
 */
export const JUNCTION_TOKEN_BALANCES_SLOT = 3n

/** The format tag of a balance disclosure's JSON. */
export const BALANCE_DISCLOSURE_FORMAT = 'junction-balance-disclosure/1'

/** A proof of one token balance at a batch of a chain (see {@link checkBalanceDisclosure}). */
export type BalanceDisclosure = {
  /** The chain the balance is on. */
  chainId: number
  /** Where the batch settled: the settlement layer (L1 or a Gateway), the ChainRegistry there, the chain's ChainSettlement there. */
  settlementLayer: { chainId: number; chainRegistry: Address; chainSettlement: Address }
  /** The batch's commitment, as committed (its `stateRoot` is the root the proofs start from). */
  commitment: BatchCommitment
  /** `batchHash(commitment)`, as `ChainSettlement.batchHashes(batchNumber)` holds it. */
  batchHash: Hex
  token: Address
  holder: Address
  /** The slot of the token's `balanceOf` mapping (a Solidity `mapping(address => uint256)`). */
  balancesSlot: bigint
  /** The storage slot proven: `keccak256(abi.encode(holder, balancesSlot))`. */
  slot: Hex
  /** The slot's value at the batch's last block: the balance. */
  value: bigint
  /** `eth_getProof`'s `accountProof` of the token at the batch's last block (state trie nodes, root first). */
  accountProof: Hex[]
  /** `eth_getProof`'s storage proof of `slot` (the token's storage trie nodes, root first). */
  storageProof: Hex[]
}

/** A {@link BalanceDisclosure} as JSON: integers as decimal strings. */
export type BalanceDisclosureJson = {
  format: typeof BALANCE_DISCLOSURE_FORMAT
  chainId: number
  settlementLayer: { chainId: number; chainRegistry: Address; chainSettlement: Address }
  batch: { number: string; hash: Hex }
  commitment: { [K in keyof BatchCommitment]: string }
  token: Address
  holder: Address
  balancesSlot: string
  slot: Hex
  value: string
  accountProof: Hex[]
  storageProof: Hex[]
}

/** The token's account at the batch, as the account proof shows it. */
export type DisclosedAccount = { nonce: bigint; balance: bigint; storageRoot: Hex; codeHash: Hex }

/** Parameters of {@link checkBalanceDisclosure}. */
export type CheckBalanceDisclosureParameters = {
  /** The batch hash the verifier trusts (read from the settlement layer, or obtained otherwise). */
  settledBatchHash: Hex
  /** The slot of the token's `balanceOf` mapping the verifier knows. Default {@link JUNCTION_TOKEN_BALANCES_SLOT}. */
  balancesSlot?: bigint | undefined
}

/** What {@link checkBalanceDisclosure} resolves with once every check passed. */
export type CheckBalanceDisclosureReturnType = { value: bigint; account: DisclosedAccount }

/**
 * The storage slot of `holder`'s entry in a Solidity `mapping(address => uint256)` at slot `balancesSlot`:
 * `keccak256(abi.encode(holder, balancesSlot))`. Also right for a mapping in namespaced storage (ERC-7201):
 * give its slot.
 *
 * @example
 * ```ts
 * balanceSlot({ holder: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' }) // Junction's tokens: balancesSlot 3
 * ```
 */
export function balanceSlot(parameters: { holder: Address; balancesSlot?: bigint | undefined }): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [parameters.holder, parameters.balancesSlot ?? JUNCTION_TOKEN_BALANCES_SLOT]))
}

/**
 * Checks a disclosure against a batch hash the caller trusts, without I/O: the commitment hashes to it,
 * the slot is the holder's balance slot, the account proof leads from the commitment's state root to the
 * token's account, the storage proof from its storage root to the slot, and the value is the one
 * disclosed. It does NOT check that the batch is settled and executed: `verifyDisclosureProof` (SDK) reads
 * that from the settlement layer; call this directly only with a batch hash you know is final.
 *
 * @throws {DisclosureProofInvalidError} with the step that failed.
 * @example
 * ```ts
 * const { value } = await checkBalanceDisclosure(disclosure, { settledBatchHash })
 * ```
 */
export async function checkBalanceDisclosure(disclosure: BalanceDisclosure, parameters: CheckBalanceDisclosureParameters): Promise<CheckBalanceDisclosureReturnType> {
  const hash = batchHash(disclosure.commitment)
  if (hash !== disclosure.batchHash.toLowerCase()) throw new DisclosureProofInvalidError({ step: 'commitment', reason: `the commitment hashes to ${hash}, the disclosure names batch hash ${disclosure.batchHash}` })
  if (hash !== parameters.settledBatchHash.toLowerCase()) throw new DisclosureProofInvalidError({ step: 'settlement', reason: `the commitment hashes to ${hash}, the settled batch ${disclosure.commitment.batchNumber} to ${parameters.settledBatchHash}` })

  const balancesSlot = parameters.balancesSlot ?? JUNCTION_TOKEN_BALANCES_SLOT
  if (disclosure.balancesSlot !== balancesSlot) throw new DisclosureProofInvalidError({ step: 'slot', reason: `the disclosure takes the token's balances at slot ${disclosure.balancesSlot}, the verifier knows them at slot ${balancesSlot}` })
  const expectedSlot = balanceSlot({ holder: disclosure.holder, balancesSlot })
  if (expectedSlot !== disclosure.slot.toLowerCase()) throw new DisclosureProofInvalidError({ step: 'slot', reason: `slot ${disclosure.slot} is not ${disclosure.holder}'s balance slot ${expectedSlot}` })

  const accountLeaf = await provenValue(disclosure.accountProof, disclosure.commitment.stateRoot, disclosure.token, 'accountProof')
  if (accountLeaf === null) throw new DisclosureProofInvalidError({ step: 'accountProof', reason: `the state at batch ${disclosure.commitment.batchNumber} has no account ${disclosure.token}` })
  const account = decodeAccount(accountLeaf)

  const storageLeaf = await provenValue(disclosure.storageProof, account.storageRoot, disclosure.slot, 'storageProof')
  const value = storageLeaf === null ? 0n : decodeStorageValue(storageLeaf)
  if (value !== disclosure.value) throw new DisclosureProofInvalidError({ step: 'value', reason: `the proofs hold ${value}, the disclosure says ${disclosure.value}` })
  return { value, account }
}

/**
 * Whether a proof's last node is a leaf (a two-item node whose path starts with flag 2 or 3). For a slot
 * that holds nothing such a leaf is another slot's, with its value: the proof would show it.
 *
 * @example
 * ```ts
 * if (value === 0n && proofEndsInLeaf(storageProof)) throw new Error('would reveal a neighbour')
 * ```
 */
export function proofEndsInLeaf(proof: readonly Hex[]): boolean {
  const last = proof.at(-1)
  if (last === undefined) return false
  const node = fromRlp(last, 'hex')
  if (!Array.isArray(node) || node.length !== 2 || typeof node[0] !== 'string' || node[0].length < 3) return false
  const flag = Number.parseInt(node[0].slice(2, 3), 16)
  return flag === 2 || flag === 3
}

/**
 * A disclosure as JSON (integers as decimal strings), the form it is handed over in.
 *
 * @example
 * ```ts
 * writeFileSync('disclosure.json', JSON.stringify(balanceDisclosureToJson(disclosure), null, 2))
 * ```
 */
export function balanceDisclosureToJson(disclosure: BalanceDisclosure): BalanceDisclosureJson {
  const commitment = Object.fromEntries(Object.entries(disclosure.commitment).map(([key, value]) => [key, typeof value === 'bigint' ? value.toString() : value])) as BalanceDisclosureJson['commitment']
  return {
    format: BALANCE_DISCLOSURE_FORMAT,
    chainId: disclosure.chainId,
    settlementLayer: { ...disclosure.settlementLayer },
    batch: { number: disclosure.commitment.batchNumber.toString(), hash: disclosure.batchHash },
    commitment,
    token: disclosure.token,
    holder: disclosure.holder,
    balancesSlot: disclosure.balancesSlot.toString(),
    slot: disclosure.slot,
    value: disclosure.value.toString(),
    accountProof: [...disclosure.accountProof],
    storageProof: [...disclosure.storageProof],
  }
}

/**
 * Reads a disclosure from its JSON (as {@link balanceDisclosureToJson} writes it), checking every field's
 * shape; the batch number given must be the commitment's.
 *
 * @throws {DisclosureProofInvalidError} at step `format` (or `commitment` for a batch number that is not the commitment's).
 * @example
 * ```ts
 * const disclosure = parseBalanceDisclosure(JSON.parse(readFileSync('disclosure.json', 'utf8')))
 * ```
 */
export function parseBalanceDisclosure(json: unknown): BalanceDisclosure {
  const object = record(json, 'the disclosure')
  if (object.format !== BALANCE_DISCLOSURE_FORMAT) formatError(`format is ${JSON.stringify(object.format)}, not "${BALANCE_DISCLOSURE_FORMAT}"`)
  const settlementLayer = record(object.settlementLayer, 'settlementLayer')
  const batch = record(object.batch, 'batch')
  const commitmentJson = record(object.commitment, 'commitment')
  const commitment = Object.fromEntries(
    batchCommitmentAbiParameter.components.map(({ name, type }) => [name, type === 'uint256' ? uint(commitmentJson[name], `commitment.${name}`) : bytes32(commitmentJson[name], `commitment.${name}`)]),
  ) as BatchCommitment
  const batchNumber = uint(batch.number, 'batch.number')
  if (batchNumber !== commitment.batchNumber) throw new DisclosureProofInvalidError({ step: 'commitment', reason: `the disclosure names batch ${batchNumber}, its commitment is batch ${commitment.batchNumber}` })
  return {
    chainId: chainId(object.chainId, 'chainId'),
    settlementLayer: { chainId: chainId(settlementLayer.chainId, 'settlementLayer.chainId'), chainRegistry: address(settlementLayer.chainRegistry, 'settlementLayer.chainRegistry'), chainSettlement: address(settlementLayer.chainSettlement, 'settlementLayer.chainSettlement') },
    commitment,
    batchHash: bytes32(batch.hash, 'batch.hash'),
    token: address(object.token, 'token'),
    holder: address(object.holder, 'holder'),
    balancesSlot: uint(object.balancesSlot, 'balancesSlot'),
    slot: bytes32(object.slot, 'slot'),
    value: uint(object.value, 'value'),
    accountProof: nodes(object.accountProof, 'accountProof'),
    storageProof: nodes(object.storageProof, 'storageProof'),
  }
}

/**
 * A disclosure given either way: a {@link BalanceDisclosure} as is, or its JSON read with {@link parseBalanceDisclosure}.
 *
 * @example
 * ```ts
 * const disclosure = asBalanceDisclosure(JSON.parse(text))
 * ```
 */
export function asBalanceDisclosure(value: unknown): BalanceDisclosure {
  const parsed = typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'bigint' && typeof (value as { batchHash?: unknown }).batchHash === 'string'
  return parsed ? (value as BalanceDisclosure) : parseBalanceDisclosure(value)
}

/** The value a Merkle-Patricia proof shows for `key` (hashed, as in Ethereum's secure tries) under `root`; null: proven absent. */
async function provenValue(proof: readonly Hex[], root: Hex, key: Hex, step: 'accountProof' | 'storageProof'): Promise<Hex | null> {
  if (proof.length === 0) throw new DisclosureProofInvalidError({ step, reason: 'the proof is empty' })
  try {
    const value = await verifyMptProof(hexToBytes(key), proof.map((node) => hexToBytes(node)), { root: hexToBytes(root), useKeyHashing: true })
    return value === null ? null : bytesToHex(value)
  } catch (cause) {
    throw new DisclosureProofInvalidError({ step, reason: `the proof of ${key} does not verify against root ${root}`, cause })
  }
}

/** An account's state-trie value: `rlp([nonce, balance, storageRoot, codeHash])`. */
function decodeAccount(leaf: Hex): DisclosedAccount {
  let fields: unknown
  try {
    fields = fromRlp(leaf, 'hex')
  } catch (cause) {
    throw new DisclosureProofInvalidError({ step: 'accountProof', reason: 'the account leaf is not RLP', cause })
  }
  if (!Array.isArray(fields) || fields.length !== 4 || !fields.every((f) => typeof f === 'string') || (fields[2] as string).length !== 66 || (fields[3] as string).length !== 66)
    throw new DisclosureProofInvalidError({ step: 'accountProof', reason: 'the account leaf is not [nonce, balance, storageRoot, codeHash]' })
  const [nonce, balance, storageRoot, codeHash] = fields as Hex[]
  return { nonce: quantity(nonce!), balance: quantity(balance!), storageRoot: storageRoot!, codeHash: codeHash! }
}

/** A storage-trie value: `rlp(value without leading zero bytes)`. */
function decodeStorageValue(leaf: Hex): bigint {
  let value: unknown
  try {
    value = fromRlp(leaf, 'hex')
  } catch (cause) {
    throw new DisclosureProofInvalidError({ step: 'storageProof', reason: 'the storage leaf is not RLP', cause })
  }
  if (typeof value !== 'string' || value.length > 66) throw new DisclosureProofInvalidError({ step: 'storageProof', reason: 'the storage leaf is not a 32-byte value' })
  return quantity(value as Hex)
}

const quantity = (hex: Hex): bigint => (hex === '0x' ? 0n : hexToBigInt(hex))

function formatError(reason: string): never {
  throw new DisclosureProofInvalidError({ step: 'format', reason })
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) formatError(`${what} is not an object`)
  return value as Record<string, unknown>
}

function uint(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(value)) formatError(`${what} is not a decimal integer string`)
  const n = BigInt(value)
  if (n >= 1n << 256n) formatError(`${what} is over 2^256 - 1`)
  return n
}

function chainId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) formatError(`${what} is not a chain id`)
  return value
}

function address(value: unknown, what: string): Address {
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) formatError(`${what} is not an address`)
  return getAddress(value)
}

function bytes32(value: unknown, what: string): Hex {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length !== 66) formatError(`${what} is not 32 bytes of hex`)
  return value.toLowerCase() as Hex
}

function nodes(value: unknown, what: string): Hex[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 64) formatError(`${what} is not a list of 1 to 64 nodes`)
  return value.map((node, i) => {
    if (typeof node !== 'string' || !isHex(node, { strict: true }) || node.length < 4 || node.length % 2 !== 0) formatError(`${what}[${i}] is not hex bytes`)
    return node as Hex
  })
}
