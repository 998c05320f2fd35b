import { formatEther, formatGwei, getAddress, parseEventLogs, type Hex } from 'viem'
import * as c from '../contracts/generated/index.js'
import { ContractRevertedError } from '../errors/ContractRevertedError.js'
import { sentBundlesOf } from '../indexer/sentBundles.js'
import { RELAYER_REWARD_BPS } from '../protocol/index.js'
import { getMessageStatus } from '../sdk/actions/getMessageStatus.js'
import type { JunctionIndex } from '../sdk/JunctionIndex.js'

/** A transaction a demo's user signed, on the chain it signed it on. */
export type SignedTransaction = {
  /** Who signed it, for the printed line: `the user`, `bank 2 approves`, ... */
  label: string
  chainId: number
  transactionHash: Hex
}

/**
 * Prints, for every interop bundle the given transactions sent, the fee its sender would pay for its delivery
 * (docs/fees.md): in the base token of the chain it was signed on, for delivery on its destination, as that
 * chain's `InteropCenter.quoteFee` prices the gas its execution used there (its share of the transaction
 * when the relayer executed several bundles in one). A demo's bundles pay no fee themselves: the network's
 * relayer sponsors them; the line says what a user would pay with `sendMessage({ fee })`. A bundle to L1 pays
 * none (L1 records no execution a fee could be claimed with). Call it once a demo's bundles were executed.
 *
 * @example
 * ```ts
 * await printFeeQuotes(index, [{ label: 'the user', chainId: alpha.chainId, transactionHash: result.transactionHash }])
 * // fee quote: the user on alpha → beta: 0.000072 ETH on alpha for 64,321 gas of execution on beta at 1 gwei, ...
 * ```
 */
export async function printFeeQuotes(index: JunctionIndex, signed: readonly SignedTransaction[], log: (line: string) => void = console.log): Promise<void> {
  let bundles = 0
  for (const transaction of signed) {
    const source = index.chain(transaction.chainId)
    const receipt = await source.client.getTransactionReceipt({ hash: transaction.transactionHash })
    for (const sent of sentBundlesOf(receipt.logs, index.manifest.l2Contracts.interopCenter)) {
      bundles++
      log(await quoteLine(index, transaction, sent.bundleHash, Number(sent.destinationChainId), BigInt((sent.bundle.length - 2) / 2)))
    }
  }
  if (bundles === 0) log('fee quote: none (the demo\'s signed transactions sent no interop bundle)')
}

/** The line of one bundle. */
async function quoteLine(index: JunctionIndex, transaction: SignedTransaction, bundleHash: Hex, destinationChainId: number, payloadBytes: bigint): Promise<string> {
  const source = index.chain(transaction.chainId)
  const l1ChainId = index.manifest.l1.chainId
  const route = `${transaction.label} on ${source.name} → ${destinationChainId === l1ChainId ? 'L1' : index.chain(destinationChainId).name}`
  if (destinationChainId === l1ChainId) return `fee quote: ${route}: none, a bundle to L1 pays no fee (L1 records no execution a fee could be claimed with; docs/fees.md)`
  const status = await getMessageStatus(index, { bundleHash, simulate: false })
  if (!status.executedIn) return `fee quote: ${route}: none yet, bundle ${bundleHash} is not executed (${status.status}), so the gas of its execution is not known`
  const destination = index.chain(destinationChainId)
  const execution = await destination.client.getTransactionReceipt({ hash: status.executedIn })
  const handler = getAddress(index.manifest.l2Contracts.interopHandler)
  const executedTogether = parseEventLogs({ abi: c.interopHandlerAbi, logs: execution.logs.filter((entry) => getAddress(entry.address) === handler), eventName: 'BundleExecuted' }).length
  const gas = execution.gasUsed / BigInt(Math.max(executedTogether, 1))
  let fee: bigint
  try {
    fee = await source.client.readContract({ address: index.manifest.l2Contracts.interopCenter, abi: c.interopCenterAbi, functionName: 'quoteFee', args: [BigInt(destinationChainId), gas, payloadBytes] })
  } catch (error) {
    const explained = source.explainRevert(error, 'quoteFee')
    if (!(explained instanceof ContractRevertedError)) throw explained
    return `fee quote: ${route}: none, ${source.name} cannot quote it (${explained.message.split('\n')[0]})`
  }
  const [price] = await source.client.readContract({ address: index.manifest.l2Contracts.interopRootStore, abi: c.interopRootStoreAbi, functionName: 'gasPrice', args: [BigInt(destinationChainId)] })
  const share = executedTogether > 1 ? ` (its share of a transaction that executed ${executedTogether} bundles)` : ''
  return (
    `fee quote: ${route}: ${formatEther(fee)} ETH paid on ${source.name} for ${gas.toLocaleString('en')} gas of execution on ${destination.name}${share} at ${formatGwei(price)} gwei, ` +
    `its share of settlement, a claim on ${source.name} and the relayer's ${Number(RELAYER_REWARD_BPS) / 100}%; this demo's bundle paid none (the network's relayer sponsors it)`
  )
}
