import { decodeAbiParameters, encodeAbiParameters, hexToBigInt, numberToHex, type Address, type Hex } from 'viem'
import { toUint } from './bytes.js'
import { keccak256Hex } from './keccak.js'
import { CallIndexOutOfRangeError, InvalidEncodingError } from './errors.js'
import { formatInteroperableAddress } from './interoperableAddress.js'

/**
 * The bundle version Junction writes and accepts (`1`).
 *
 * @example
 * ```ts
 * const bundle: InteropBundle = { version: INTEROP_BUNDLE_VERSION, ...rest }
 * ```
 */
export const INTEROP_BUNDLE_VERSION = 1n

/**
 * Bit 128 of a bundle's version word (protocol §4): set in a bundle sent with the `executionGasLimit`
 * attribute (it may pay a fee), whose destination then records its execution for the executor's fee claim
 * (docs/fees.md). The version words accepted are `1n` and `1n | INTEROP_BUNDLE_PAYS_FEE_FLAG`.
 *
 * @example
 * ```ts
 * const paysFee = (bundle.version & INTEROP_BUNDLE_PAYS_FEE_FLAG) !== 0n
 * ```
 */
export const INTEROP_BUNDLE_PAYS_FEE_FLAG = 1n << 128n

/**
 * The version word of a bundle the InteropCenter sends: {@link INTEROP_BUNDLE_VERSION}, with
 * {@link INTEROP_BUNDLE_PAYS_FEE_FLAG} when it is sent with `executionGasLimit`.
 *
 * @example
 * ```ts
 * bundleVersionWord(true) // 1n | 2n ** 128n
 * ```
 */
export function bundleVersionWord(paysFee: boolean): bigint {
  return paysFee ? INTEROP_BUNDLE_VERSION | INTEROP_BUNDLE_PAYS_FEE_FLAG : INTEROP_BUNDLE_VERSION
}

/**
 * Solidity ABI of `struct InteropCall` (protocol §4).
 *
 * @example
 * ```ts
 * encodeAbiParameters([interopCallAbiParameter], [{ to, from, value: 0n, data: '0x' }])
 * ```
 */
export const interopCallAbiParameter = {
  type: 'tuple',
  name: 'call',
  internalType: 'struct InteropCall',
  components: [
    { name: 'to', type: 'address' },
    { name: 'from', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
  ],
} as const

/**
 * Solidity ABI of `struct InteropBundle` (protocol §4), for `encodeAbiParameters` and contract ABIs.
 *
 * @example
 * ```ts
 * const [bundle] = decodeAbiParameters([interopBundleAbiParameter], payload)
 * ```
 */
export const interopBundleAbiParameter = {
  type: 'tuple',
  name: 'bundle',
  internalType: 'struct InteropBundle',
  components: [
    { name: 'version', type: 'uint256' },
    { name: 'sourceChainId', type: 'uint256' },
    { name: 'destinationChainId', type: 'uint256' },
    { name: 'salt', type: 'bytes32' },
    {
      name: 'calls',
      type: 'tuple[]',
      internalType: 'struct InteropCall[]',
      components: interopCallAbiParameter.components,
    },
    { name: 'executionAddress', type: 'address' },
    { name: 'unbundler', type: 'address' },
  ],
} as const

/** One call of a bundle (protocol §4). */
export type InteropCall = {
  /** Recipient on the destination chain. */
  to: Address
  /** Original caller on the source chain. */
  from: Address
  /** Base token (ETH, in wei) delivered with the call, paid by the sender (protocol §9.7). */
  value: bigint
  /** ERC-7786 payload given to `receiveMessage`. */
  data: Hex
}

/** A bundle of calls sent from one chain to another (protocol §4). */
export type InteropBundle = {
  /** The version word: {@link INTEROP_BUNDLE_VERSION}, with {@link INTEROP_BUNDLE_PAYS_FEE_FLAG} for a bundle sent with a fee ({@link bundleVersionWord}). */
  version: bigint
  sourceChainId: bigint
  destinationChainId: bigint
  /** `bundleSalt(bundleNumber)`: the bundle's number on its route (source → destination), as a 32-byte word. */
  salt: Hex
  calls: readonly InteropCall[]
  /** `0x0…0`: anyone may execute. */
  executionAddress: Address
  /** `0x0…0`: nobody may unbundle. */
  unbundler: Address
}

/**
 * Statuses of a bundle on its destination chain (protocol §4).
 *
 * @example
 * ```ts
 * if (status === BundleStatus.Executed) console.log('done')
 * ```
 */
export const BundleStatus = {
  Unreceived: 0,
  Verified: 1,
  Executed: 2,
  Unbundled: 3,
} as const
/** One of the {@link BundleStatus} values. */
export type BundleStatus = (typeof BundleStatus)[keyof typeof BundleStatus]

/**
 * Statuses of one call of a bundle on its destination chain (protocol §8): what
 * `InteropHandler.callStatus(bundleHash, index)` returns. Every call of an Executed bundle reads
 * `Executed`.
 *
 * @example
 * ```ts
 * if (status === CallStatus.Cancelled) console.log('the unbundler cancelled it')
 * ```
 */
export const CallStatus = {
  Unprocessed: 0,
  Executed: 1,
  Cancelled: 2,
} as const
/** One of the {@link CallStatus} values. */
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus]

/**
 * What `InteropHandler.unbundleBundle` does with one call (protocol §8).
 *
 * @example
 * ```ts
 * const decisions = [CallDecision.Execute, CallDecision.Cancel, CallDecision.Leave]
 * ```
 */
export const CallDecision = {
  Leave: 0,
  Execute: 1,
  Cancel: 2,
} as const
/** One of the {@link CallDecision} values. */
export type CallDecision = (typeof CallDecision)[keyof typeof CallDecision]

/**
 * Most calls `InteropCenter.sendBundle` accepts in one bundle (`MAX_BUNDLE_CALLS`, 64).
 *
 * @example
 * ```ts
 * if (starters.length > MAX_BUNDLE_CALLS) throw new Error('split the bundle')
 * ```
 */
export const MAX_BUNDLE_CALLS = 64n

/**
 * Solidity ABI of `struct InteropCallStarter` (protocol §8), the element of `sendBundle`'s
 * `callStarters`.
 *
 * @example
 * ```ts
 * encodeAbiParameters([{ ...interopCallStarterAbiParameter, type: 'tuple[]' }], [[{ to, data: '0x', callAttributes: [] }]])
 * ```
 */
export const interopCallStarterAbiParameter = {
  type: 'tuple',
  name: 'callStarter',
  internalType: 'struct InteropCallStarter',
  components: [
    { name: 'to', type: 'address' },
    { name: 'data', type: 'bytes' },
    { name: 'callAttributes', type: 'bytes[]' },
  ],
} as const

/** One call given to `sendBundle` (protocol §8). */
export type InteropCallStarter = {
  /** The recipient on the destination; with `indirectCall`, the initiator contract on the source. */
  to: Address
  /** The payload (or, with `indirectCall`, the data given to the initiator). */
  data: Hex
  /** Call attributes: `interopCallValue`, `indirectCall`. */
  callAttributes: readonly Hex[]
}

/**
 * `abi.encode(bundle)`: the message payload of a bundle (protocol §4).
 *
 * @example
 * ```ts
 * const payload = encodeBundle(bundle)
 * ```
 */
export function encodeBundle(bundle: InteropBundle): Hex {
  return encodeAbiParameters([interopBundleAbiParameter], [bundle])
}

/**
 * Decodes `abi.encode(bundle)`. Refuses, with {@link InvalidEncodingError}, bytes that do
 * not decode or are not the canonical encoding (so the hash of the input is the hash of
 * the decoded bundle).
 *
 * @example
 * ```ts
 * const bundle = decodeBundle(payload)
 * ```
 */
export function decodeBundle(encoded: Hex): InteropBundle {
  let bundle: InteropBundle
  try {
    ;[bundle] = decodeAbiParameters([interopBundleAbiParameter], encoded)
  } catch (cause) {
    throw new InvalidEncodingError({ type: 'InteropBundle', reason: 'cannot be decoded', cause })
  }
  if (encodeBundle(bundle).toLowerCase() !== encoded.toLowerCase())
    throw new InvalidEncodingError({ type: 'InteropBundle', reason: 'not canonical (extra or malformed bytes)' })
  return { ...bundle, calls: bundle.calls.map((call) => ({ ...call })) }
}

/**
 * `bundleHash = H(abi.encode(bundle))` (protocol §4): the ERC-7786 `sendId`, the id in the
 * SDK and CLI, and the replay-protection key. Takes a bundle or its encoding (hashed as given).
 *
 * @example
 * ```ts
 * bundleHash(bundle) === bundleHash(encodeBundle(bundle)) // true
 * ```
 */
export function bundleHash(bundle: InteropBundle | Hex): Hex {
  return keccak256Hex(typeof bundle === 'string' ? bundle : encodeBundle(bundle), 'bundle')
}

/**
 * Bundle salt (protocol §4): the bundle's number on its route, `InteropCenter.bundlesSent(destinationChainId)`
 * of the source chain before it was sent, as a 32-byte big-endian word. The destination keys its replay
 * protection on it ({@link bundleNumber}).
 *
 * @example
 * ```ts
 * const salt = bundleSalt(0n) // the first bundle from a chain to another
 * ```
 */
export function bundleSalt(bundleNumber: bigint | number): Hex {
  return numberToHex(toUint(bundleNumber, 'bundleNumber'), { size: 32 })
}

/**
 * A bundle's number on its route (source → destination): its salt read as a number (protocol §4).
 *
 * @example
 * ```ts
 * bundleNumber(bundle) // 41n for the 42nd bundle from bundle.sourceChainId to bundle.destinationChainId
 * ```
 */
export function bundleNumber(bundle: Pick<InteropBundle, 'salt'>): bigint {
  return hexToBigInt(bundle.salt)
}

/**
 * The `receiveId` given to the recipient of call `callIndex`: `H(abi.encode(bundleHash, callIndex))`.
 *
 * @example
 * ```ts
 * const id = receiveId(bundleHash(bundle), 0n)
 * ```
 */
export function receiveId(bundleHash: Hex, callIndex: bigint | number): Hex {
  return keccak256Hex(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [bundleHash, toUint(callIndex, 'callIndex')]))
}

export type MessageSenderAddressParameters = {
  bundle: InteropBundle
  callIndex: bigint | number
}

/**
 * The ERC-7930 `sender` given to `receiveMessage` for call `callIndex`:
 * `(bundle.sourceChainId, call.from)` (protocol §4).
 *
 * @example
 * ```ts
 * const sender = messageSenderAddress({ bundle, callIndex: 0 })
 * ```
 */
export function messageSenderAddress({ bundle, callIndex }: MessageSenderAddressParameters): Hex {
  const index = toUint(callIndex, 'callIndex')
  const call = index < BigInt(bundle.calls.length) ? bundle.calls[Number(index)] : undefined
  if (call === undefined) throw new CallIndexOutOfRangeError({ callIndex: index, callCount: BigInt(bundle.calls.length) })
  return formatInteroperableAddress({ chainId: bundle.sourceChainId, address: call.from })
}
