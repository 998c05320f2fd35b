import { getAddress, type Address, type Hex } from 'viem'
import { bytesToHex, hexToBytes, MAX_UINT256 } from './bytes.js'
import { InvalidInteroperableAddressError, InvalidHexValueError } from './errors.js'

/**
 * ERC-7930 version Junction speaks (`0x0001`).
 *
 * @example
 * ```ts
 * INTEROPERABLE_ADDRESS_VERSION // 1
 * ```
 */
export const INTEROPERABLE_ADDRESS_VERSION = 0x0001
/**
 * CAIP-350 chain type of `eip155` (EVM) chains (`0x0000`).
 *
 * @example
 * ```ts
 * EIP155_CHAIN_TYPE // 0
 * ```
 */
export const EIP155_CHAIN_TYPE = 0x0000

/** An ERC-7930 address with both parts present: an EVM address on an `eip155` chain. */
export type InteroperableAddress = {
  /** The EVM chain id, from 1 to 2^256 - 1. */
  chainId: bigint
  /** The 20-byte address (checksummed when parsed). */
  address: Address
}

export type ChainReferenceParameters = bigint | number
export type ChainReferenceReturnType = Hex

function chainIdToBigInt(chainId: bigint | number, value: unknown): bigint {
  let id: bigint
  if (typeof chainId === 'bigint') id = chainId
  else if (typeof chainId === 'number' && Number.isSafeInteger(chainId)) id = BigInt(chainId)
  else throw new InvalidInteroperableAddressError({ reason: 'the chain id is not an integer', value })
  if (id <= 0n) throw new InvalidInteroperableAddressError({ reason: 'the chain id must be at least 1 (chain reference of length 0)', value })
  if (id > MAX_UINT256)
    throw new InvalidInteroperableAddressError({ reason: 'the chain id does not fit 32 bytes (chain reference longer than 32 bytes)', value })
  return id
}

function chainReferenceBytes(id: bigint): Uint8Array {
  let hex = id.toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  return hexToBytes(`0x${hex}`, 'chain reference')
}

/**
 * The CAIP-350 `eip155` chain reference of a chain id: the id in big-endian bytes, minimal
 * (no leading zero byte). Refuses 0 and ids of 2^256 or more with
 * {@link InvalidInteroperableAddressError}.
 *
 * @example
 * ```ts
 * chainReference(256) // '0x0100'
 * ```
 */
export function chainReference(chainId: ChainReferenceParameters): ChainReferenceReturnType {
  return bytesToHex(chainReferenceBytes(chainIdToBigInt(chainId, chainId)))
}

export type FormatInteroperableAddressParameters = {
  /** The EVM chain id, from 1 to 2^256 - 1. */
  chainId: bigint | number
  /** A 20-byte address, any letter case. */
  address: Address
}
export type FormatInteroperableAddressReturnType = Hex

/**
 * Encodes an address on an EVM chain as an ERC-7930 interoperable address (protocol §1):
 * `0x0001 ‖ 0x0000 ‖ len ‖ chainReference ‖ 0x14 ‖ address`.
 *
 * @example
 * ```ts
 * formatInteroperableAddress({ chainId: 1, address: '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045' })
 * // '0x00010000010114d8da6bf26964af9d7eed9e03e53415d37aa96045'
 * ```
 */
export function formatInteroperableAddress({
  chainId,
  address,
}: FormatInteroperableAddressParameters): FormatInteroperableAddressReturnType {
  const reference = chainReferenceBytes(chainIdToBigInt(chainId, { chainId, address }))
  let addressBytes: Uint8Array
  try {
    addressBytes = hexToBytes(address, 'address', 20)
  } catch (error) {
    if (error instanceof InvalidHexValueError)
      throw new InvalidInteroperableAddressError({ reason: 'the address is not 20 bytes of hex', value: { chainId, address } })
    throw error
  }
  const out = new Uint8Array(6 + reference.length + 20)
  out[0] = INTEROPERABLE_ADDRESS_VERSION >> 8
  out[1] = INTEROPERABLE_ADDRESS_VERSION & 0xff
  out[2] = EIP155_CHAIN_TYPE >> 8
  out[3] = EIP155_CHAIN_TYPE & 0xff
  out[4] = reference.length
  out.set(reference, 5)
  out[5 + reference.length] = 20
  out.set(addressBytes, 6 + reference.length)
  return bytesToHex(out)
}

export type ParseInteroperableAddressParameters = Hex
export type ParseInteroperableAddressReturnType = InteroperableAddress

/**
 * Decodes an ERC-7930 interoperable address (protocol §1). Refuses, with
 * {@link InvalidInteroperableAddressError}: a version other than 1, a chain type other than
 * `eip155`, a chain reference of length 0, longer than 32 bytes or with a leading zero
 * byte, an address length other than 20, a truncated value and trailing bytes.
 *
 * @example
 * ```ts
 * parseInteroperableAddress('0x00010000010114d8da6bf26964af9d7eed9e03e53415d37aa96045')
 * // { chainId: 1n, address: '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045' }
 * ```
 */
export function parseInteroperableAddress(value: ParseInteroperableAddressParameters): ParseInteroperableAddressReturnType {
  const refuse = (reason: string): never => {
    throw new InvalidInteroperableAddressError({ reason, value })
  }
  let bytes: Uint8Array
  try {
    bytes = hexToBytes(value, 'interoperable address')
  } catch (error) {
    if (error instanceof InvalidHexValueError) return refuse('not a 0x-prefixed hex string of whole bytes')
    throw error
  }
  if (bytes.length < 5) return refuse(`too short (${bytes.length} bytes)`)
  const version = (bytes[0]! << 8) | bytes[1]!
  if (version !== INTEROPERABLE_ADDRESS_VERSION) return refuse(`unsupported version 0x${version.toString(16).padStart(4, '0')} (expected 0x0001)`)
  const chainType = (bytes[2]! << 8) | bytes[3]!
  if (chainType !== EIP155_CHAIN_TYPE) return refuse(`unsupported chain type 0x${chainType.toString(16).padStart(4, '0')} (expected 0x0000, eip155)`)
  const referenceLength = bytes[4]!
  if (referenceLength === 0) return refuse('the chain reference is empty (length 0)')
  if (referenceLength > 32) return refuse(`the chain reference is ${referenceLength} bytes long (at most 32)`)
  if (bytes.length < 5 + referenceLength + 1) return refuse('truncated inside the chain reference or before the address length')
  if (bytes[5]! === 0) return refuse('the chain reference has a leading zero byte (not minimal)')
  const addressLength = bytes[5 + referenceLength]!
  if (addressLength !== 20) return refuse(`the address length is ${addressLength} (expected 20${addressLength === 0 ? '; the address is absent' : ''})`)
  const end = 6 + referenceLength + 20
  if (bytes.length < end) return refuse('truncated inside the address')
  if (bytes.length > end) return refuse(`${bytes.length - end} trailing bytes after the address`)
  const chainId = BigInt(bytesToHex(bytes.subarray(5, 5 + referenceLength)))
  const address = getAddress(bytesToHex(bytes.subarray(6 + referenceLength, end)))
  return { chainId, address }
}
