import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { FeeClaimNotReadyError } from '../../errors/fees.js'
import { buildRoutedLeafProof } from '../../indexer/buildProofFromStore.js'
import { topologyOf } from '../../network/topology.js'
import { executionRecordHash } from '../../protocol/index.js'
import type { JunctionIndex } from '../JunctionIndex.js'

/** Parameters of {@link claimInteropFee}. */
export type ClaimInteropFeeParameters = {
  bundleHash: Hex
  /** Who executed the bundle on its destination (the caller of `executeBundle(s)`). Default: the client's account. */
  executor?: Address
}

/** What {@link claimInteropFee} resolves with. */
export type ClaimInteropFeeReturnType = { transactionHash: Hex; receipt: TransactionReceipt; amount: bigint; executor: Address }

/**
 * Claims a bundle's fee on its source chain for its executor (docs/fees.md): proves there that the
 * destination's InteropHandler recorded `abi.encode(tag, bundleHash, executor)` when the executor executed it,
 * and `InteropCenter.claimFee` pays the executor the whole fee, once. `client` must be on the source chain;
 * anyone may submit the claim, the fee goes to the executor. {@link FeeClaimNotReadyError} while the
 * destination's batch is not settled or the source has not imported a root covering it.
 *
 * @example
 * ```ts
 * await claimInteropFee(alphaRelayerWallet, index, { bundleHash })
 * ```
 */
export async function claimInteropFee<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  index: JunctionIndex,
  parameters: ClaimInteropFeeParameters,
): Promise<ClaimInteropFeeReturnType> {
  await index.sync()
  const { store, manifest } = index
  const sent = store.prepare('SELECT source_chain_id, destination_chain_id FROM bundles_sent WHERE bundle_hash = ?').get(parameters.bundleHash) as
    | { source_chain_id: number; destination_chain_id: number }
    | undefined
  if (!sent) throw new FeeClaimNotReadyError({ bundleHash: parameters.bundleHash, reason: 'the bundle is unknown to the index' })
  const executor = parameters.executor ?? client.account?.address
  if (!executor) throw new FeeClaimNotReadyError({ bundleHash: parameters.bundleHash, reason: 'no executor given and the client has no account' })
  const built = buildRoutedLeafProof(store, {
    topology: topologyOf(manifest, store),
    sourceChainId: sent.destination_chain_id,
    destination: sent.source_chain_id,
    sender: manifest.l2Contracts.interopHandler,
    payloadHash: executionRecordHash(parameters.bundleHash, executor),
  })
  if (!built.ready) throw new FeeClaimNotReadyError({ bundleHash: parameters.bundleHash, reason: built.reason === 'unknown' ? `no execution of it by ${executor} is recorded` : built.reason })
  const source = index.chain(sent.source_chain_id)
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: manifest.l2Contracts.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'claimFee',
    args: [parameters.bundleHash, executor, built.proof],
    chain: client.chain ?? source.chain,
    action: 'claimFee',
    chainName: source.name,
  })
  const [claimed] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeeClaimed' })
  return { transactionHash: hash, receipt, amount: claimed?.args.amount ?? 0n, executor }
}
