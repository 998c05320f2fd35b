import { concat, encodeFunctionData, size, slice, type Address, type Hex } from 'viem'
import * as c from '../../contracts/generated/index.js'
import type { InteropProof } from '../../protocol/index.js'

/**
 * One call of a handler's ABI, as the fuzzer sends it: a valid call of a seed (a real message, bundle,
 * withdrawal... that would succeed), or a forgery made from one. `chainId` is where it is sent.
 */
export type FuzzCall =
  /** `InteropHandler` on a ZK chain, or `L1InteropHandler` when `chainId` is L1's. */
  | { fn: 'executeBundle' | 'verifyBundle'; chainId: number; bundle: Hex; proof: InteropProof }
  | { fn: 'executeBundles'; chainId: number; bundles: readonly Hex[]; proofs: readonly InteropProof[] }
  /** Sent by the bundle's unbundler when `asUnbundler`, else by any other account. */
  | { fn: 'unbundleBundle'; chainId: number; bundle: Hex; decisions: readonly number[]; asUnbundler: boolean }
  /** `L1AssetRouter` (on L1): `source` is the chain the message comes from (a Gateway for the last one). */
  | { fn: 'finalizeWithdrawal' | 'finalizeTransfer' | 'finalizeSettlementLayerTransfer'; chainId: number; source: bigint; message: Hex; proof: InteropProof }
  | { fn: 'claimFailedDeposit'; chainId: number; source: bigint; depositor: Address; assetId: Hex; amount: bigint; message: Hex; proof: InteropProof }
  /** L1's `ChainRegistry`. */
  | { fn: 'finalizeChainMigration'; chainId: number; message: Hex; proof: InteropProof }

/** The functions the fuzzer calls. */
export type FuzzFunction = FuzzCall['fn']

/** A forged call: the seed it was made from, the mutators applied in order, and the call. */
export type Forgery = {
  seedId: string
  mutators: readonly string[]
  call: FuzzCall
  /**
   * Applied to the calldata once encoded: keep the selector and `keepPerMille`‰ of the rest (always
   * shorter than the whole), or `append` bytes after it.
   */
  calldata?: { keepPerMille: number } | { append: Hex }
}

/** Where the handlers live: the manifest's addresses the fuzzer sends to. */
export type FuzzAddresses = {
  l1ChainId: number
  /** `InteropHandler` (the same on every ZK chain). */
  interopHandler: Address
  l1InteropHandler: Address
  l1AssetRouter: Address
  l1ChainRegistry: Address
}

/**
 * The proof a call carries (the first one, for `executeBundles`), if any.
 *
 * @example
 * ```ts
 * proofOf({ fn: 'finalizeWithdrawal', chainId: 31337, source: 273n, message, proof }) === proof // true
 * ```
 */
export function proofOf(call: FuzzCall): InteropProof | undefined {
  if (call.fn === 'executeBundles') return call.proofs[0]
  if (call.fn === 'unbundleBundle') return undefined
  return call.proof
}

/**
 * The bytes a call proves: a bundle or a message (the first bundle, for `executeBundles`).
 *
 * @example
 * ```ts
 * payloadOf({ fn: 'executeBundle', chainId: 272, bundle, proof }) === bundle // true
 * ```
 */
export function payloadOf(call: FuzzCall): Hex {
  if (call.fn === 'executeBundles') return call.bundles[0] ?? '0x'
  if ('bundle' in call) return call.bundle
  return call.message
}

/**
 * A stable text key of a call (bigints and hex normalised): two calls with the same key send the same
 * transaction, whoever sends it.
 *
 * @example
 * ```ts
 * callKey(a) === callKey(structuredClone(a)) // true
 * ```
 */
export function callKey(call: FuzzCall): string {
  return valueKey(call)
}

/**
 * A stable text key of any value of bigints, hex strings, arrays and objects: bigints and hex normalised,
 * object keys sorted (two objects with the same fields have the same key, in whatever order they were built).
 *
 * @example
 * ```ts
 * valueKey({ a: 1n, b: '0xAB' }) === valueKey({ b: '0xab', a: 1n }) // true
 * ```
 */
export function valueKey(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (typeof v === 'bigint') return `n${v}`
    if (typeof v === 'string') return v.toLowerCase()
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    return v
  })
}

/**
 * The transaction a forgery sends: its target contract and calldata (with any calldata cut or tail
 * applied), and the calldata of the call before that.
 *
 * @example
 * ```ts
 * const { to, data } = encodeForgery({ call, calldata: { append: '0x00' } }, addresses)
 * ```
 */
export function encodeForgery(forgery: Pick<Forgery, 'call' | 'calldata'>, addresses: FuzzAddresses): { to: Address; data: Hex; full: Hex } {
  const { to, data } = encodeFuzzCall(forgery.call, addresses)
  const edit = forgery.calldata
  if (!edit) return { to, data, full: data }
  if ('keepPerMille' in edit) return { to, data: slice(data, 0, 4 + Math.floor(((size(data) - 4) * edit.keepPerMille) / 1000)), full: data }
  return { to, data: concat([data, edit.append]), full: data }
}

/**
 * Encodes a {@link FuzzCall} for its contract: pure, so what is sent is exactly what the mutators made.
 *
 * @example
 * ```ts
 * const { to, data } = encodeFuzzCall({ fn: 'executeBundle', chainId: 272, bundle, proof }, addresses)
 * ```
 */
export function encodeFuzzCall(call: FuzzCall, addresses: FuzzAddresses): { to: Address; data: Hex } {
  const onL1 = call.chainId === addresses.l1ChainId
  switch (call.fn) {
    case 'executeBundle':
    case 'verifyBundle':
      return onL1
        ? { to: addresses.l1InteropHandler, data: encodeFunctionData({ abi: c.l1InteropHandlerAbi, functionName: call.fn, args: [call.bundle, call.proof] }) }
        : { to: addresses.interopHandler, data: encodeFunctionData({ abi: c.interopHandlerAbi, functionName: call.fn, args: [call.bundle, call.proof] }) }
    case 'executeBundles':
      return onL1
        ? { to: addresses.l1InteropHandler, data: encodeFunctionData({ abi: c.l1InteropHandlerAbi, functionName: 'executeBundles', args: [call.bundles, call.proofs] }) }
        : { to: addresses.interopHandler, data: encodeFunctionData({ abi: c.interopHandlerAbi, functionName: 'executeBundles', args: [call.bundles, call.proofs] }) }
    case 'unbundleBundle':
      return onL1
        ? { to: addresses.l1InteropHandler, data: encodeFunctionData({ abi: c.l1InteropHandlerAbi, functionName: 'unbundleBundle', args: [call.bundle, call.decisions] }) }
        : { to: addresses.interopHandler, data: encodeFunctionData({ abi: c.interopHandlerAbi, functionName: 'unbundleBundle', args: [call.bundle, call.decisions] }) }
    case 'finalizeWithdrawal':
    case 'finalizeTransfer':
    case 'finalizeSettlementLayerTransfer':
      return { to: addresses.l1AssetRouter, data: encodeFunctionData({ abi: c.l1AssetRouterAbi, functionName: call.fn, args: [call.source, call.message, call.proof] }) }
    case 'claimFailedDeposit':
      return {
        to: addresses.l1AssetRouter,
        data: encodeFunctionData({ abi: c.l1AssetRouterAbi, functionName: 'claimFailedDeposit', args: [call.source, call.depositor, call.assetId, call.amount, call.message, call.proof] }),
      }
    case 'finalizeChainMigration':
      return { to: addresses.l1ChainRegistry, data: encodeFunctionData({ abi: c.chainRegistryAbi, functionName: 'finalizeChainMigration', args: [call.message, call.proof] }) }
  }
}
