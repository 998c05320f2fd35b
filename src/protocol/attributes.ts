// ERC-7786 attributes of protocol §8, mirroring contracts/common/InteropAttributes.sol, and the
// bundle the InteropCenter builds from `sendBundle` / `sendMessage` arguments.
import { decodeFunctionData, encodeFunctionData, parseAbi, type Address, type Hex } from 'viem'
import { bytesToHex, hexToBytes, toUint } from './bytes.js'
import {
  AttributeChainMismatchError,
  AttributeRepeatedError,
  DestinationIsThisChainError,
  EmptyBundleError,
  IndirectCallUnresolvedError,
  InvalidAttributeError,
  TooManyCallsError,
  UnsupportedAttributeError,
  ValueMismatchError,
} from './errors.js'
import { formatInteroperableAddress, parseInteroperableAddress } from './interoperableAddress.js'
import { CallValueToAssetRouterError, ZeroDestinationChainError } from './sendErrors.js'
import {
  bundleVersionWord,
  MAX_BUNDLE_CALLS,
  bundleSalt,
  type InteropBundle,
  type InteropCall,
  type InteropCallStarter,
} from './bundle.js'

const ZERO_ADDRESS: Address = '0x0000000000000000000000000000000000000000'

/**
 * The attributes as Solidity functions: an attribute is `abi.encodeWithSignature` of one of them
 * (protocol §8).
 *
 * @example
 * ```ts
 * encodeFunctionData({ abi: attributesAbi, functionName: 'interopCallValue', args: [0n] })
 * ```
 */
export const attributesAbi = parseAbi([
  'function interopCallValue(uint256 value)',
  'function indirectCall(uint256 value)',
  'function executionAddress(bytes interoperableAddress)',
  'function unbundlerAddress(bytes interoperableAddress)',
  'function executionGasLimit(uint256 gasLimit)',
])

/** Name of one of the five attributes. */
export type AttributeName = 'interopCallValue' | 'indirectCall' | 'executionAddress' | 'unbundlerAddress' | 'executionGasLimit'

/**
 * The 4-byte selectors of the attributes (protocol §8):
 * `interopCallValue(uint256)` `0x54b16529`, `indirectCall(uint256)` `0xc8496ea7`,
 * `executionAddress(bytes)` `0x054c031b`, `unbundlerAddress(bytes)` `0xb9c86698`,
 * `executionGasLimit(uint256)` `0x89c4ae2a`.
 *
 * @example
 * ```ts
 * attribute.startsWith(attributeSelectors.executionAddress)
 * ```
 */
export const attributeSelectors = {
  interopCallValue: '0x54b16529',
  indirectCall: '0xc8496ea7',
  executionAddress: '0x054c031b',
  unbundlerAddress: '0xb9c86698',
  executionGasLimit: '0x89c4ae2a',
} as const satisfies Record<AttributeName, Hex>

const NAME_OF_SELECTOR = new Map<string, AttributeName>(
  Object.entries(attributeSelectors).map(([name, selector]) => [selector, name as AttributeName]),
)

/** Which attributes each list accepts (as in `InteropAttributes`). */
const CALL_LIST: ReadonlySet<AttributeName> = new Set(['interopCallValue', 'indirectCall'])
const BUNDLE_LIST: ReadonlySet<AttributeName> = new Set(['executionAddress', 'unbundlerAddress', 'executionGasLimit'])
const MESSAGE_LIST: ReadonlySet<AttributeName> = new Set(['interopCallValue', 'executionAddress', 'unbundlerAddress', 'executionGasLimit'])

/**
 * `interopCallValue(uint256 value)`: base token (ETH, in wei) delivered with the call on the
 * destination; the sender pays it with `sendBundle` / `sendMessage` (protocol §9.7).
 *
 * @example
 * ```ts
 * encodeInteropCallValueAttribute(0n) // '0x54b16529' + 32 zero bytes
 * ```
 */
export function encodeInteropCallValueAttribute(value: bigint | number): Hex {
  return encodeFunctionData({ abi: attributesAbi, functionName: 'interopCallValue', args: [toUint(value, 'value')] })
}

/**
 * `indirectCall(uint256 value)`: route the call through its `to` on the source chain
 * (`IIndirectCallInitiator`), giving it `value` (must be 0 for now). `sendBundle` only.
 *
 * @example
 * ```ts
 * const starter = { to: assetRouter, data, callAttributes: [encodeIndirectCallAttribute(0n)] }
 * ```
 */
export function encodeIndirectCallAttribute(value: bigint | number): Hex {
  return encodeFunctionData({ abi: attributesAbi, functionName: 'indirectCall', args: [toUint(value, 'value')] })
}

/**
 * `executionGasLimit(uint256 gasLimit)`: the bundle pays a fee for its execution, the value sent beyond the
 * calls' values, buying `gasLimit` gas on the destination (docs/fees.md). A bundle attribute.
 *
 * @example
 * ```ts
 * const fee = await client.estimateInteropFee({ to, payload })
 * await client.sendMessage({ to, payload, fee: fee.fee, gasLimit: fee.gasLimit })
 * encodeExecutionGasLimitAttribute(fee.gasLimit) // what sendMessage adds
 * ```
 */
export function encodeExecutionGasLimitAttribute(gasLimit: bigint | number): Hex {
  return encodeFunctionData({ abi: attributesAbi, functionName: 'executionGasLimit', args: [toUint(gasLimit, 'gasLimit')] })
}

/** An account on a chain, the argument of `executionAddress` and `unbundlerAddress`. */
export type AttributeAccount = { chainId: bigint | number; address: Address }

/**
 * `executionAddress(bytes)`: the ERC-7930 address of the only account that may execute the bundle
 * (its chain must be the destination).
 *
 * @example
 * ```ts
 * encodeExecutionAddressAttribute({ chainId: 271n, address: relayer })
 * ```
 */
export function encodeExecutionAddressAttribute(account: AttributeAccount): Hex {
  return encodeFunctionData({ abi: attributesAbi, functionName: 'executionAddress', args: [formatInteroperableAddress(account)] })
}

/**
 * `unbundlerAddress(bytes)`: the ERC-7930 address of the only account that may unbundle the bundle
 * (its chain must be the destination).
 *
 * @example
 * ```ts
 * encodeUnbundlerAddressAttribute({ chainId: 271n, address: user })
 * ```
 */
export function encodeUnbundlerAddressAttribute(account: AttributeAccount): Hex {
  return encodeFunctionData({ abi: attributesAbi, functionName: 'unbundlerAddress', args: [formatInteroperableAddress(account)] })
}

/**
 * The selector of an attribute: its first 4 bytes, right-padded with zeros when it is shorter
 * (as `InteropAttributes.selectorOf`).
 *
 * @example
 * ```ts
 * attributeSelector('0x12') // '0x12000000'
 * ```
 */
export function attributeSelector(attribute: Hex): Hex {
  const bytes = hexToBytes(attribute, 'attribute')
  const selector = new Uint8Array(4)
  selector.set(bytes.subarray(0, 4))
  return bytesToHex(selector)
}

/** A decoded attribute. */
export type DecodedAttribute =
  | { name: 'interopCallValue'; selector: Hex; value: bigint }
  | { name: 'indirectCall'; selector: Hex; value: bigint }
  | { name: 'executionGasLimit'; selector: Hex; value: bigint }
  | { name: 'executionAddress' | 'unbundlerAddress'; selector: Hex; chainId: bigint; address: Address }

/**
 * Decodes one attribute. Throws {@link InvalidAttributeError} when it is shorter than 4 bytes, its
 * arguments are not the canonical ABI encoding, or its address is not a valid ERC-7930 address;
 * {@link UnsupportedAttributeError} for an unknown selector.
 *
 * @example
 * ```ts
 * decodeAttribute(encodeInteropCallValueAttribute(5n)) // { name: 'interopCallValue', selector: '0x54b16529', value: 5n }
 * ```
 */
export function decodeAttribute(attribute: Hex): DecodedAttribute {
  const selector = attributeSelector(attribute)
  const hex = attribute.toLowerCase() as Hex
  if (hex.length < 10) throw new InvalidAttributeError({ selector, reason: 'shorter than 4 bytes' })
  const name = NAME_OF_SELECTOR.get(selector)
  if (name === undefined) throw new UnsupportedAttributeError({ selector, list: 'any list' })
  return decodeKnown(hex, selector, name)
}

function decodeKnown(hex: Hex, selector: Hex, name: AttributeName): DecodedAttribute {
  let arg: unknown
  try {
    const decoded = decodeFunctionData({ abi: attributesAbi, data: hex })
    arg = decoded.args[0]
    const again = encodeFunctionData({ abi: attributesAbi, functionName: name, args: [arg] } as never)
    if (again !== hex) throw new Error('not canonical')
  } catch (cause) {
    throw new InvalidAttributeError({ selector, reason: 'the arguments are not the canonical ABI encoding', cause })
  }
  if (name === 'interopCallValue' || name === 'indirectCall' || name === 'executionGasLimit') return { name, selector, value: arg as bigint }
  let parsed
  try {
    parsed = parseInteroperableAddress(arg as Hex)
  } catch (cause) {
    throw new InvalidAttributeError({ selector, reason: 'the argument is not a valid ERC-7930 address', cause })
  }
  return { name, selector, chainId: parsed.chainId, address: parsed.address }
}

/** What a call attribute list says (`InteropAttributes.CallAttributes`). */
export type CallAttributes = {
  /** `interopCallValue` (0 when absent). */
  value: bigint
  /** Whether `indirectCall` is present. */
  indirect: boolean
  /** `indirectCall`'s value (0 when absent). */
  indirectValue: bigint
}

/** What a bundle attribute list says (`InteropAttributes.BundleAttributes`). */
export type BundleAttributes = {
  /** `executionAddress` (zero address when absent: anyone may execute). */
  executionAddress: Address
  /** `unbundlerAddress` (zero address when absent: nobody may unbundle). */
  unbundler: Address
  /** Whether `executionGasLimit` is present: the value sent beyond the calls' values is the bundle's fee. */
  paysFee: boolean
  /** `executionGasLimit`'s gas limit (0 when absent). */
  gasLimit: bigint
}

function parseList(
  attributes: readonly Hex[],
  destinationChainId: bigint,
  allowed: ReadonlySet<AttributeName>,
  list: string,
): CallAttributes & BundleAttributes {
  const result: CallAttributes & BundleAttributes = {
    value: 0n,
    indirect: false,
    indirectValue: 0n,
    executionAddress: ZERO_ADDRESS,
    unbundler: ZERO_ADDRESS,
    paysFee: false,
    gasLimit: 0n,
  }
  const seen = new Set<AttributeName>()
  for (const attribute of attributes) {
    const selector = attributeSelector(attribute)
    if (attribute.length < 10) throw new InvalidAttributeError({ selector, reason: 'shorter than 4 bytes' })
    const name = NAME_OF_SELECTOR.get(selector)
    if (name === undefined || !allowed.has(name)) throw new UnsupportedAttributeError({ selector, list })
    if (seen.has(name)) throw new AttributeRepeatedError({ selector })
    seen.add(name)
    const decoded = decodeKnown(attribute.toLowerCase() as Hex, selector, name)
    if (decoded.name === 'interopCallValue') result.value = decoded.value
    else if (decoded.name === 'indirectCall') {
      result.indirect = true
      result.indirectValue = decoded.value
    } else if (decoded.name === 'executionGasLimit') {
      result.paysFee = true
      result.gasLimit = decoded.value
    } else {
      if (decoded.chainId !== destinationChainId)
        throw new AttributeChainMismatchError({ selector, expected: destinationChainId, actual: decoded.chainId })
      if (decoded.name === 'executionAddress') result.executionAddress = decoded.address
      else result.unbundler = decoded.address
    }
  }
  return result
}

/**
 * Reads the attributes of one call of `sendBundle` (`interopCallValue`, `indirectCall`), in order,
 * as `InteropAttributes.parseCallAttributes`: throws {@link InvalidAttributeError},
 * {@link UnsupportedAttributeError} or {@link AttributeRepeatedError}. Does not check values.
 *
 * @example
 * ```ts
 * parseCallAttributes([encodeIndirectCallAttribute(0n)]) // { value: 0n, indirect: true, indirectValue: 0n }
 * ```
 */
export function parseCallAttributes(attributes: readonly Hex[]): CallAttributes {
  const { value, indirect, indirectValue } = parseList(attributes, 0n, CALL_LIST, 'a sendBundle call')
  return { value, indirect, indirectValue }
}

/**
 * Reads the bundle attributes of `sendBundle` (`executionAddress`, `unbundlerAddress`), in order,
 * as `InteropAttributes.parseBundleAttributes`; their addresses must be on `destinationChainId`
 * ({@link AttributeChainMismatchError}).
 *
 * @example
 * ```ts
 * parseBundleAttributes([encodeUnbundlerAddressAttribute({ chainId: 271n, address: user })], 271n).unbundler // user
 * ```
 */
export function parseBundleAttributes(attributes: readonly Hex[], destinationChainId: bigint | number): BundleAttributes {
  const { executionAddress, unbundler, paysFee, gasLimit } = parseList(attributes, toUint(destinationChainId, 'destinationChainId'), BUNDLE_LIST, 'a sendBundle bundle')
  return { executionAddress, unbundler, paysFee, gasLimit }
}

/**
 * Reads the attributes of `sendMessage` (`interopCallValue`, `executionAddress`, `unbundlerAddress`),
 * in order, as `InteropAttributes.parseMessageAttributes`.
 *
 * @example
 * ```ts
 * parseMessageAttributes([encodeInteropCallValueAttribute(0n)], 271n) // { value: 0n, executionAddress: 0x0…, unbundler: 0x0… }
 * ```
 */
export function parseMessageAttributes(
  attributes: readonly Hex[],
  destinationChainId: bigint | number,
): { value: bigint } & BundleAttributes {
  const { value, executionAddress, unbundler, paysFee, gasLimit } = parseList(attributes, toUint(destinationChainId, 'destinationChainId'), MESSAGE_LIST, 'sendMessage')
  return { value, executionAddress, unbundler, paysFee, gasLimit }
}

/**
 * Whether `sendMessage` accepts the attribute (what `InteropCenter.supportsAttribute` returns): true
 * for `interopCallValue`, `executionAddress`, `unbundlerAddress` and `executionGasLimit`, false for `indirectCall` and
 * any other selector.
 *
 * @example
 * ```ts
 * isMessageAttribute(attributeSelectors.indirectCall) // false
 * ```
 */
export function isMessageAttribute(selector: Hex): boolean {
  const name = NAME_OF_SELECTOR.get(selector.toLowerCase())
  return name !== undefined && MESSAGE_LIST.has(name)
}

/** What an indirect call's initiator returns: the call to make on the destination. */
export type ResolvedIndirectCall = { to: Address; data: Hex }

export type BuildBundleParameters = {
  sourceChainId: bigint | number
  destinationChainId: bigint | number
  /** The caller of `sendBundle`. */
  sender: Address
  /** The bundle's number on its route: `InteropCenter.bundlesSent(destinationChainId)` before the call. */
  bundleNumber: bigint | number
  callStarters: readonly InteropCallStarter[]
  bundleAttributes: readonly Hex[]
  /** `msg.value` of the transaction: the sum of the calls' `interopCallValue` and `indirectCall` values (default 0), plus the fee with `executionGasLimit`. */
  value?: bigint | undefined
  /**
   * The L2AssetRouter (the same address on every chain): with it, a call value to it is refused as on chain
   * ({@link CallValueToAssetRouterError}); without it, that check is left to the InteropCenter.
   */
  assetRouter?: Address | undefined
  /**
   * What the initiator of an indirect call returns (`IIndirectCallInitiator.initiateIndirectCall`).
   * Without it, a call with `indirectCall` throws {@link IndirectCallUnresolvedError}: only the
   * initiator contract on the source chain knows its destination target and data.
   */
  resolveIndirectCall?:
    | ((request: { callIndex: number; initiator: Address; destinationChainId: bigint; originalSender: Address; data: Hex; value: bigint }) => ResolvedIndirectCall)
    | undefined
}

/**
 * The bundle `InteropCenter.sendBundle` builds, with the same checks in the same order:
 * destination ({@link DestinationIsThisChainError}, {@link ZeroDestinationChainError}), call count
 * ({@link EmptyBundleError}, {@link TooManyCallsError}), bundle attributes, each call's attributes (and,
 * given `assetRouter`, no value on a direct call to it, {@link CallValueToAssetRouterError}), then `value` =
 * the sum of the calls' values ({@link ValueMismatchError}), then no value on an indirect call that resolves
 * to the asset router. A direct call is `{ to, from: sender, value, data }`; an indirect call is
 * `{ to: resolved.to, from: initiator, value, data: resolved.data }`.
 *
 * @example
 * ```ts
 * const bundle = buildBundle({ sourceChainId: 270n, destinationChainId: 271n, sender, bundleNumber: 0n, callStarters, bundleAttributes: [] })
 * ```
 */
export function buildBundle(parameters: BuildBundleParameters): InteropBundle {
  const sourceChainId = toUint(parameters.sourceChainId, 'sourceChainId')
  const destinationChainId = toUint(parameters.destinationChainId, 'destinationChainId')
  if (destinationChainId === sourceChainId) throw new DestinationIsThisChainError({ chainId: sourceChainId })
  if (destinationChainId === 0n) throw new ZeroDestinationChainError()
  const count = BigInt(parameters.callStarters.length)
  if (count === 0n) throw new EmptyBundleError()
  if (count > MAX_BUNDLE_CALLS) throw new TooManyCallsError({ count, max: MAX_BUNDLE_CALLS })
  const { executionAddress, unbundler, paysFee } = parseBundleAttributes(parameters.bundleAttributes, destinationChainId)

  const { assetRouter } = parameters
  const toRouter = (to: Address) => assetRouter !== undefined && to.toLowerCase() === assetRouter.toLowerCase()
  const parsed = parameters.callStarters.map((starter, callIndex) => {
    const attributes = parseCallAttributes(starter.callAttributes)
    if (!attributes.indirect && attributes.value !== 0n && toRouter(starter.to)) throw new CallValueToAssetRouterError({ callIndex: BigInt(callIndex), value: attributes.value, assetRouter: assetRouter! })
    return attributes
  })
  const expected = parsed.reduce((sum, attributes) => sum + attributes.value + attributes.indirectValue, 0n)
  const msgValue = parameters.value ?? 0n
  if (paysFee ? msgValue < expected : msgValue !== expected) throw new ValueMismatchError({ expected, actual: msgValue })
  const calls: InteropCall[] = parameters.callStarters.map((starter, callIndex) => {
    const attributes = parsed[callIndex]!
    if (!attributes.indirect) return { to: starter.to, from: parameters.sender, value: attributes.value, data: starter.data }
    if (parameters.resolveIndirectCall === undefined) throw new IndirectCallUnresolvedError({ callIndex: BigInt(callIndex) })
    const resolved = parameters.resolveIndirectCall({
      callIndex,
      initiator: starter.to,
      destinationChainId,
      originalSender: parameters.sender,
      data: starter.data,
      value: attributes.indirectValue,
    })
    if (attributes.value !== 0n && toRouter(resolved.to)) throw new CallValueToAssetRouterError({ callIndex: BigInt(callIndex), value: attributes.value, assetRouter: assetRouter! })
    return { to: resolved.to, from: starter.to, value: attributes.value, data: resolved.data }
  })
  return {
    version: bundleVersionWord(paysFee),
    sourceChainId,
    destinationChainId,
    salt: bundleSalt(parameters.bundleNumber),
    calls,
    executionAddress,
    unbundler,
  }
}

export type BuildMessageBundleParameters = {
  sourceChainId: bigint | number
  /** The caller of `sendMessage`. */
  sender: Address
  /** The bundle's number on its route: `InteropCenter.bundlesSent(destinationChainId)` before the call. */
  bundleNumber: bigint | number
  /** ERC-7930 address of the recipient. */
  recipient: Hex
  payload: Hex
  attributes: readonly Hex[]
  /** `msg.value` of the transaction: the `interopCallValue` attribute's value (default 0), plus the fee with `executionGasLimit`. */
  value?: bigint | undefined
  /** The L2AssetRouter: with it, a value to it is refused ({@link CallValueToAssetRouterError}), as on chain. */
  assetRouter?: Address | undefined
}

/**
 * The one-call bundle `InteropCenter.sendMessage` builds, with the same checks in the same order:
 * recipient, destination, attributes, then `value` = `interopCallValue` ({@link ValueMismatchError}), then
 * (given `assetRouter`) no value to the asset router ({@link CallValueToAssetRouterError}).
 *
 * @example
 * ```ts
 * const bundle = buildMessageBundle({ sourceChainId: 270n, sender, bundleNumber: 0n, recipient, payload: '0x', attributes: [] })
 * ```
 */
export function buildMessageBundle(parameters: BuildMessageBundleParameters): InteropBundle {
  const sourceChainId = toUint(parameters.sourceChainId, 'sourceChainId')
  const { chainId: destinationChainId, address: to } = parseInteroperableAddress(parameters.recipient)
  if (destinationChainId === sourceChainId) throw new DestinationIsThisChainError({ chainId: sourceChainId })
  const { value, executionAddress, unbundler, paysFee } = parseMessageAttributes(parameters.attributes, destinationChainId)
  const msgValue = parameters.value ?? 0n
  if (paysFee ? msgValue < value : msgValue !== value) throw new ValueMismatchError({ expected: value, actual: msgValue })
  const { assetRouter } = parameters
  if (assetRouter !== undefined && value !== 0n && to.toLowerCase() === assetRouter.toLowerCase()) throw new CallValueToAssetRouterError({ callIndex: 0n, value, assetRouter })
  return {
    version: bundleVersionWord(paysFee),
    sourceChainId,
    destinationChainId,
    salt: bundleSalt(parameters.bundleNumber),
    calls: [{ to, from: parameters.sender, value, data: parameters.payload }],
    executionAddress,
    unbundler,
  }
}
