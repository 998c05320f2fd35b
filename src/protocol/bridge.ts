import { concatHex, decodeAbiParameters, encodeAbiParameters, getContractAddress, keccak256, toFunctionSelector, zeroAddress, type Address, type Hex } from 'viem'
import { bytesToHex, hexToBytes, toUint } from './bytes.js'
import { NotAFailedDepositError, NotASettlementLayerTransferError, NotATransferError, NotAWithdrawalError } from './errors.js'
import { ZERO_HASH, priorityRollingStep } from './hashing.js'

// The encodings of the shared bridge (protocol §9), mirroring contracts/common/BridgeMessages.sol.

/**
 * First word of a withdrawal message: `bytes4(keccak256("withdraw(bytes32,address,address,uint256)"))`.
 *
 * @example
 * ```ts
 * WITHDRAWAL_TAG // '0x…' (4 bytes)
 * ```
 */
export const WITHDRAWAL_TAG: Hex = toFunctionSelector('withdraw(bytes32,address,address,uint256)')

/** Length in bytes of a withdrawal message (five ABI words). */
export const WITHDRAWAL_MESSAGE_LENGTH = 160

const withdrawalParameters = [
  { name: 'tag', type: 'bytes4' },
  { name: 'assetId', type: 'bytes32' },
  { name: 'l2Sender', type: 'address' },
  { name: 'l1Receiver', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

export type AssetIdParameters = {
  /** Chain where the token is native (L1 for L1 tokens). */
  originChainId: bigint | number
  /** Token vault of that chain (on L1: the L1NativeTokenVault). */
  originVault: Address
  /** The token on its origin chain. */
  originToken: Address
}

/**
 * Id of an asset: `keccak256(abi.encode(uint256 originChainId, address originVault, address originToken))`.
 *
 * @example
 * ```ts
 * const id = assetId({ originChainId: 31337n, originVault: manifest.l1.contracts.nativeTokenVault, originToken: usdc })
 * ```
 */
export function assetId({ originChainId, originVault, originToken }: AssetIdParameters): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'uint256' }, { type: 'address' }, { type: 'address' }], [toUint(originChainId, 'originChainId'), originVault, originToken]),
  )
}

/** The "token address" of ETH in asset ids (`BridgeMessages.ETH_TOKEN`): `address(0)`. */
export const ETH_TOKEN: Address = zeroAddress

export type EthAssetIdParameters = {
  /** L1's chain id. */
  l1ChainId: bigint | number
  /** The L1NativeTokenVault, which holds every chain's ETH. */
  l1Vault: Address
}

/**
 * ETH's asset id (protocol §9.7): `assetId(L1 chain id, L1NativeTokenVault, address(0))`, the same as
 * `L1NativeTokenVault.ethAssetId()` and `L2AssetRouter.ethAssetId()`.
 *
 * @example
 * ```ts
 * const eth = ethAssetId({ l1ChainId: manifest.l1.chainId, l1Vault: manifest.l1.contracts.nativeTokenVault })
 * ```
 */
export function ethAssetId({ l1ChainId, l1Vault }: EthAssetIdParameters): Hex {
  return assetId({ originChainId: l1ChainId, originVault: l1Vault, originToken: ETH_TOKEN })
}

export type PriorityRequestHashParameters = {
  /** The chain that must process the request. */
  chainId: bigint | number
  /** Position of the request in the chain's queue (from 0). */
  index: bigint | number
  /** The contract the request calls on the chain. */
  l2Target: Address
  /** The call data. */
  data: Hex
}

/**
 * Hash of a priority request: `keccak256(abi.encode(uint256 chainId, uint256 index, address l2Target, bytes data))`.
 *
 * @example
 * ```ts
 * const h = priorityRequestHash({ chainId: 270n, index: 0n, l2Target: l2AssetRouter, data })
 * ```
 */
export function priorityRequestHash({ chainId, index, l2Target, data }: PriorityRequestHashParameters): Hex {
  hexToBytes(data, 'data')
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'uint256' }, { type: 'address' }, { type: 'bytes' }],
      [toUint(chainId, 'chainId'), toUint(index, 'index'), l2Target, data],
    ),
  )
}

/**
 * The rolling hash after a list of priority requests, starting at `0x00…00` (protocol §9): what a
 * batch that processed them (from the first) carries as `priorityRequestsHash`.
 *
 * @example
 * ```ts
 * priorityRollingHash([]) // ZERO_HASH
 * priorityRollingHash([priorityRequestHash({ chainId, index: 0n, l2Target, data })])
 * ```
 */
export function priorityRollingHash(requestHashes: readonly Hex[], start: Hex = ZERO_HASH): Hex {
  let h = start
  for (const requestHash of requestHashes) h = priorityRollingStep(h, requestHash)
  return h
}

/** A decoded withdrawal message. */
export type WithdrawalMessage = {
  assetId: Hex
  /** Who burned the tokens on the chain. */
  l2Sender: Address
  /** Who receives them on L1. */
  l1Receiver: Address
  amount: bigint
}

/**
 * The withdrawal message the L2 asset router records (protocol §9):
 * `abi.encode(bytes4 WITHDRAWAL_TAG, bytes32 assetId, address l2Sender, address l1Receiver, uint256 amount)`.
 * Its leaf is `messageLeaf(l2AssetRouter, keccak256(message))`.
 *
 * @example
 * ```ts
 * const message = encodeWithdrawalMessage({ assetId: id, l2Sender: user, l1Receiver: user, amount: 10n })
 * ```
 */
export function encodeWithdrawalMessage({ assetId, l2Sender, l1Receiver, amount }: WithdrawalMessage): Hex {
  return encodeAbiParameters(withdrawalParameters, [WITHDRAWAL_TAG, assetId, l2Sender, l1Receiver, toUint(amount, 'amount')])
}

/**
 * Reads a withdrawal message; refuses exactly what `BridgeMessages.decodeWithdrawal` refuses
 * ({@link NotAWithdrawalError}).
 *
 * @example
 * ```ts
 * const { assetId, l1Receiver, amount } = decodeWithdrawalMessage(event.args.message)
 * ```
 */
export function decodeWithdrawalMessage(message: Hex): WithdrawalMessage {
  checkTaggedMessage(message, { tag: WITHDRAWAL_TAG, length: WITHDRAWAL_MESSAGE_LENGTH, what: 'withdrawal', addressWords: [2, 3], refuse: (reason) => new NotAWithdrawalError({ reason }) })
  const [, id, l2Sender, l1Receiver, amount] = decodeAbiParameters(withdrawalParameters, message)
  return { assetId: id, l2Sender, l1Receiver, amount }
}

/**
 * First word of a transfer message (chain → chain, protocol §9.5):
 * `bytes4(keccak256("transfer(uint256,bytes32,address,address,uint256)"))`.
 */
export const TRANSFER_TAG: Hex = toFunctionSelector('transfer(uint256,bytes32,address,address,uint256)')

/** Length in bytes of a transfer message (six ABI words). */
export const TRANSFER_MESSAGE_LENGTH = 192

const transferParameters = [
  { name: 'tag', type: 'bytes4' },
  { name: 'destinationChainId', type: 'uint256' },
  { name: 'assetId', type: 'bytes32' },
  { name: 'sender', type: 'address' },
  { name: 'receiver', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

/** A decoded transfer message. */
export type TransferMessage = {
  /** The chain the tokens go to. */
  destinationChainId: bigint
  assetId: Hex
  /** Who burned the tokens on the source chain (the caller of `sendBundle`). */
  sender: Address
  /** Who receives them on the destination chain. */
  receiver: Address
  amount: bigint
}

/**
 * The transfer message the source chain's L2 asset router records when it burns for a chain → chain
 * transfer (protocol §9.5): `abi.encode(bytes4 TRANSFER_TAG, uint256 destinationChainId, bytes32 assetId,
 * address sender, address receiver, uint256 amount)`, 192 bytes. Its leaf is
 * `messageLeaf(l2AssetRouter, keccak256(message))`; `L1AssetRouter.finalizeTransfer` consumes it.
 *
 * @example
 * ```ts
 * const message = encodeTransferMessage({ destinationChainId: 271n, assetId: id, sender: user, receiver: user, amount: 10n })
 * ```
 */
export function encodeTransferMessage({ destinationChainId, assetId, sender, receiver, amount }: Omit<TransferMessage, 'destinationChainId' | 'amount'> & { destinationChainId: bigint | number; amount: bigint | number }): Hex {
  return encodeAbiParameters(transferParameters, [TRANSFER_TAG, toUint(destinationChainId, 'destinationChainId'), assetId, sender, receiver, toUint(amount, 'amount')])
}

/**
 * Reads a transfer message; refuses exactly what `BridgeMessages.decodeTransfer` refuses
 * ({@link NotATransferError}).
 *
 * @example
 * ```ts
 * const { destinationChainId, assetId, amount } = decodeTransferMessage(event.args.message)
 * ```
 */
export function decodeTransferMessage(message: Hex): TransferMessage {
  checkTaggedMessage(message, { tag: TRANSFER_TAG, length: TRANSFER_MESSAGE_LENGTH, what: 'transfer', addressWords: [3, 4], refuse: (reason) => new NotATransferError({ reason }) })
  const [, destinationChainId, id, sender, receiver, amount] = decodeAbiParameters(transferParameters, message)
  return { destinationChainId, assetId: id, sender, receiver, amount }
}

/** What a transfer call starter carries (protocol §9.5). */
export type TransferData = {
  assetId: Hex
  amount: bigint | number
  /** The receiver on the destination chain. */
  receiver: Address
}

/**
 * The `data` of the call starter of a chain → chain transfer, `{ to: l2AssetRouter, data,
 * callAttributes: [indirectCall(0)] }` given to `InteropCenter.sendBundle` (protocol §9.5):
 * `abi.encode(bytes32 assetId, uint256 amount, address receiver)`.
 *
 * @example
 * ```ts
 * const data = encodeTransferData({ assetId: id, amount: 10n, receiver: user })
 * ```
 */
export function encodeTransferData({ assetId, amount, receiver }: TransferData): Hex {
  return encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }], [assetId, toUint(amount, 'amount'), receiver])
}

/** The payload of `L2AssetRouter.receiveMessage` on the destination of a transfer (protocol §9.5). */
export type TransferPayload = {
  assetId: Hex
  originChainId: bigint
  originToken: Address
  /** Metadata of the source chain's bridged token (the destination deploys its own with it if needed). */
  name: string
  symbol: string
  decimals: number
  receiver: Address
  amount: bigint
}

const transferPayloadParameters = [
  { name: 'assetId', type: 'bytes32' },
  { name: 'originChainId', type: 'uint256' },
  { name: 'originToken', type: 'address' },
  { name: 'name', type: 'string' },
  { name: 'symbol', type: 'string' },
  { name: 'decimals', type: 'uint8' },
  { name: 'receiver', type: 'address' },
  { name: 'amount', type: 'uint256' },
] as const

/**
 * The `destinationData` the source L2AssetRouter returns for a transfer, delivered to the destination
 * router's `receiveMessage` (protocol §9.5): `abi.encode(bytes32 assetId, uint256 originChainId, address
 * originToken, string name, string symbol, uint8 decimals, address receiver, uint256 amount)`.
 *
 * @example
 * ```ts
 * const data = encodeTransferPayload({ assetId: id, originChainId: 31337n, originToken, name: 'USD Coin', symbol: 'USDC', decimals: 6, receiver, amount: 5n })
 * ```
 */
export function encodeTransferPayload(p: TransferPayload): Hex {
  return encodeAbiParameters(transferPayloadParameters, [p.assetId, toUint(p.originChainId, 'originChainId'), p.originToken, p.name, p.symbol, Number(toUint(p.decimals, 'decimals', 255n)), p.receiver, toUint(p.amount, 'amount')])
}

/**
 * Reads the payload of a transfer call (the inverse of {@link encodeTransferPayload}); throws viem's
 * decoding error on malformed bytes.
 *
 * @example
 * ```ts
 * const { receiver, amount } = decodeTransferPayload(bundle.calls[0].data)
 * ```
 */
export function decodeTransferPayload(payload: Hex): TransferPayload {
  const [assetId, originChainId, originToken, name, symbol, decimals, receiver, amount] = decodeAbiParameters(transferPayloadParameters, payload)
  return { assetId, originChainId, originToken, name, symbol, decimals, receiver, amount }
}

export type WithdrawalIdParameters = {
  /** The chain the withdrawal comes from. */
  chainId: bigint | number
  /** The batch of that chain holding the withdrawal message. */
  batchNumber: bigint | number
  /** The message's index in the batch's message tree. */
  messageIndex: bigint | number
}

/**
 * Id of a withdrawal, its replay key on L1: `keccak256(abi.encode(uint256 chainId, uint256 batchNumber, uint256 messageIndex))`.
 *
 * @example
 * ```ts
 * const id = withdrawalId({ chainId: 270n, batchNumber: proof.batchNumber, messageIndex: proof.messageIndex })
 * ```
 */
export function withdrawalId({ chainId, batchNumber, messageIndex }: WithdrawalIdParameters): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }],
      [toUint(chainId, 'chainId'), toUint(batchNumber, 'batchNumber'), toUint(messageIndex, 'messageIndex')],
    ),
  )
}

export type BridgedTokenAddressParameters = {
  /** The L2AssetRouter (same address on every chain): the CREATE2 deployer. */
  l2AssetRouter: Address
  /**
   * The creation bytecode of contracts/l2/BridgedToken.sol (`bridgedTokenBytecode` from
   * src/contracts/generated): given by the caller so that protocol/ imports nothing of ours.
   */
  bytecode: Hex
  assetId: Hex
  originChainId: bigint | number
  originToken: Address
  /** The origin token's name as read at the first deposit ("" if it has none). */
  name: string
  /** The origin token's symbol as read at the first deposit ("" if it has none). */
  symbol: string
  /** The origin token's decimals as read at the first deposit (18 if it has none). */
  decimals: number
}

/**
 * Where the L2AssetRouter deploys the bridged token of an asset: CREATE2 from the router with salt
 * `assetId` and init code `bytecode ‖ abi.encode(assetId, originChainId, originToken, name, symbol, decimals)`.
 *
 * @example
 * ```ts
 * const token = bridgedTokenAddress({ l2AssetRouter, bytecode: c.bridgedTokenBytecode, assetId: id, originChainId: 31337n, originToken, name: 'USD Coin', symbol: 'USDC', decimals: 6 })
 * ```
 */
export function bridgedTokenAddress(parameters: BridgedTokenAddressParameters): Address {
  const { l2AssetRouter, bytecode, assetId: id, originToken, name, symbol, decimals } = parameters
  const args = encodeAbiParameters(
    [{ type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }, { type: 'string' }, { type: 'string' }, { type: 'uint8' }],
    [id, toUint(parameters.originChainId, 'originChainId'), originToken, name, symbol, Number(toUint(decimals, 'decimals', 255n))],
  )
  return getContractAddress({ opcode: 'CREATE2', from: l2AssetRouter, salt: id, bytecode: concatHex([bytecode, args]) })
}

/**
 * Most bytes of a token's name or symbol a deposit carries (`BridgeMessages.MAX_TOKEN_STRING_LENGTH`,
 * protocol §9.1): what a deposit carries, and so what passing it on costs a Gateway, is bounded whatever
 * the token returns.
 */
export const MAX_TOKEN_STRING_LENGTH = 64

/**
 * The name or symbol a deposit carries (protocol §9.1), as bytes, from what the token's `name()` or
 * `symbol()` returned in a call that succeeded (a call that reverts carries none): the string's bytes if
 * `returned` is an ABI-encoded string (first word 32, a length that fits in it) of at most
 * {@link MAX_TOKEN_STRING_LENGTH} bytes, else none (`0x`). Mirrors `BridgeMessages.tokenString`, which L1's
 * asset router applies to the first `64 + MAX_TOKEN_STRING_LENGTH` bytes returned (the same answer).
 *
 * @example
 * ```ts
 * const name = hexToString(depositTokenString(await client.call({ to: token, data: '0x06fdde03' }).then((r) => r.data ?? '0x')))
 * ```
 */
export function depositTokenString(returned: Hex): Hex {
  const bytes = hexToBytes(returned, 'returned')
  if (bytes.length < 64) return '0x'
  const offset = BigInt(bytesToHex(bytes.subarray(0, 32)))
  const length = BigInt(bytesToHex(bytes.subarray(32, 64)))
  if (offset !== 32n || length > BigInt(MAX_TOKEN_STRING_LENGTH) || length > BigInt(bytes.length - 64)) return '0x'
  return bytesToHex(bytes.subarray(64, 64 + Number(length)))
}

/**
 * First word of a failed-deposit message (protocol §9.8): `bytes4(keccak256("failedDeposit(uint256,bytes32)"))`.
 */
export const FAILED_DEPOSIT_TAG: Hex = toFunctionSelector('failedDeposit(uint256,bytes32)')

/** Length in bytes of a failed-deposit message (three ABI words). */
export const FAILED_DEPOSIT_MESSAGE_LENGTH = 96

const failedDepositParameters = [
  { name: 'tag', type: 'bytes4' },
  { name: 'index', type: 'uint256' },
  { name: 'requestHash', type: 'bytes32' },
] as const

/** A decoded failed-deposit message. */
export type FailedDepositMessage = {
  /** The priority request's index in the chain's queue. */
  index: bigint
  /** Its hash ({@link priorityRequestHash}). */
  requestHash: Hex
}

/**
 * The message the L2PriorityInbox records when the call of a priority request fails (protocol §9.8):
 * `abi.encode(bytes4 FAILED_DEPOSIT_TAG, uint256 index, bytes32 requestHash)`, 96 bytes. Its leaf is
 * `messageLeaf(priorityInbox, keccak256(message))`; `L1AssetRouter.claimFailedDeposit` consumes it.
 *
 * @example
 * ```ts
 * const message = encodeFailedDepositMessage({ index: 3n, requestHash })
 * ```
 */
export function encodeFailedDepositMessage({ index, requestHash }: { index: bigint | number; requestHash: Hex }): Hex {
  return encodeAbiParameters(failedDepositParameters, [FAILED_DEPOSIT_TAG, toUint(index, 'index'), requestHash])
}

/**
 * Reads a failed-deposit message; refuses exactly what `BridgeMessages.decodeFailedDeposit` refuses
 * ({@link NotAFailedDepositError}).
 *
 * @example
 * ```ts
 * const { index, requestHash } = decodeFailedDepositMessage(event.args.message)
 * ```
 */
export function decodeFailedDepositMessage(message: Hex): FailedDepositMessage {
  checkTaggedMessage(message, { tag: FAILED_DEPOSIT_TAG, length: FAILED_DEPOSIT_MESSAGE_LENGTH, what: 'failed-deposit', addressWords: [], refuse: (reason) => new NotAFailedDepositError({ reason }) })
  const [, index, requestHash] = decodeAbiParameters(failedDepositParameters, message)
  return { index, requestHash }
}

/**
 * First word of a settlement-layer transfer message (protocol §9.10):
 * `bytes4(keccak256("settlementLayerTransfer(uint256,uint256,bytes32,uint256)"))`.
 */
export const SETTLEMENT_LAYER_TRANSFER_TAG: Hex = toFunctionSelector('settlementLayerTransfer(uint256,uint256,bytes32,uint256)')

/** Length in bytes of a settlement-layer transfer message (five ABI words). */
export const SETTLEMENT_LAYER_TRANSFER_MESSAGE_LENGTH = 160

const settlementLayerTransferParameters = [
  { name: 'tag', type: 'bytes4' },
  { name: 'sourceChainId', type: 'uint256' },
  { name: 'destinationChainId', type: 'uint256' },
  { name: 'assetId', type: 'bytes32' },
  { name: 'amount', type: 'uint256' },
] as const

/** A decoded settlement-layer transfer message: value that left a Gateway for a chain that does not settle on it. */
export type SettlementLayerTransferMessage = {
  /** The Gateway's chain the value left. */
  sourceChainId: bigint
  /** The chain it went to. */
  destinationChainId: bigint
  assetId: Hex
  amount: bigint
}

/**
 * The message a Gateway's asset tracker records when it approves a batch that sends value to a chain
 * that does not settle on the Gateway (protocol §9.10): `abi.encode(bytes4 SETTLEMENT_LAYER_TRANSFER_TAG,
 * uint256 sourceChainId, uint256 destinationChainId, bytes32 assetId, uint256 amount)`, 160 bytes. Its
 * leaf is `messageLeaf(assetTracker, keccak256(message))` in the Gateway chain's batch;
 * `L1AssetRouter.finalizeSettlementLayerTransfer` consumes it.
 *
 * @example
 * ```ts
 * const message = encodeSettlementLayerTransferMessage({ sourceChainId: 271n, destinationChainId: 273n, assetId: id, amount: 10n })
 * ```
 */
export function encodeSettlementLayerTransferMessage({ sourceChainId, destinationChainId, assetId, amount }: { sourceChainId: bigint | number; destinationChainId: bigint | number; assetId: Hex; amount: bigint | number }): Hex {
  return encodeAbiParameters(settlementLayerTransferParameters, [SETTLEMENT_LAYER_TRANSFER_TAG, toUint(sourceChainId, 'sourceChainId'), toUint(destinationChainId, 'destinationChainId'), assetId, toUint(amount, 'amount')])
}

/**
 * Reads a settlement-layer transfer message; refuses exactly what
 * `BridgeMessages.decodeSettlementLayerTransfer` refuses ({@link NotASettlementLayerTransferError}).
 *
 * @example
 * ```ts
 * const { destinationChainId, assetId, amount } = decodeSettlementLayerTransferMessage(event.args.message)
 * ```
 */
export function decodeSettlementLayerTransferMessage(message: Hex): SettlementLayerTransferMessage {
  checkTaggedMessage(message, { tag: SETTLEMENT_LAYER_TRANSFER_TAG, length: SETTLEMENT_LAYER_TRANSFER_MESSAGE_LENGTH, what: 'settlement-layer transfer', addressWords: [], refuse: (reason) => new NotASettlementLayerTransferError({ reason }) })
  const [, sourceChainId, destinationChainId, id, amount] = decodeAbiParameters(settlementLayerTransferParameters, message)
  return { sourceChainId, destinationChainId, assetId: id, amount }
}

/** The bit of an L1 ledger account that marks a settlement layer's (`LedgerAccounts.SETTLEMENT_LAYER_BIT`). */
export const SETTLEMENT_LAYER_ACCOUNT_BIT = 1n << 255n

/**
 * L1's ledger account of a chain settling on L1 (its chain id), or with `settlementLayer: true` of a
 * Gateway, which holds what its chains hold together (protocol §9.11, `LedgerAccounts`).
 *
 * @example
 * ```ts
 * vault.read.balanceOf([ledgerAccount(31338, { settlementLayer: true }), assetId])
 * ```
 */
export function ledgerAccount(chainId: bigint | number, { settlementLayer = false }: { settlementLayer?: boolean } = {}): bigint {
  const id = toUint(chainId, 'chainId')
  return settlementLayer ? SETTLEMENT_LAYER_ACCOUNT_BIT | id : id
}

/**
 * Reads an L1 ledger account number (from a vault event or error): whose it is.
 *
 * @example
 * ```ts
 * decodeLedgerAccount(error.errorArgs[0]) // { settlementLayer: true, chainId: 31338n }
 * ```
 */
export function decodeLedgerAccount(account: bigint): { settlementLayer: boolean; chainId: bigint } {
  return { settlementLayer: (account & SETTLEMENT_LAYER_ACCOUNT_BIT) !== 0n, chainId: account & ~SETTLEMENT_LAYER_ACCOUNT_BIT }
}

/**
 * The checks of the Solidity decoders of bridge messages: exactly `length` bytes, the first word is
 * `tag` followed by 28 zero bytes, and each of `addressWords` is a clean address (12 zero bytes first).
 */
function checkTaggedMessage(message: Hex, rule: { tag: Hex; length: number; what: string; addressWords: readonly number[]; refuse: (reason: string) => Error }): void {
  const bytes = hexToBytes(message, 'message')
  if (bytes.length !== rule.length) throw rule.refuse(`the message is ${bytes.length} bytes, not ${rule.length}`)
  if (message.slice(0, 66).toLowerCase() !== `${rule.tag}${'00'.repeat(28)}`) throw rule.refuse(`the first word is not the ${rule.what} tag ${rule.tag}`)
  for (const word of rule.addressWords)
    if (bytes.subarray(word * 32, word * 32 + 12).some((b) => b !== 0)) throw rule.refuse(`word ${word} is not a clean address`)
}
