import { parseEventLogs, type Account, type Address, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'

/** Parameters of {@link topUpFee}. */
export type TopUpFeeParameters = {
  bundleHash: Hex
  /** The bundle's destination (the same as its fee record's). */
  destinationChainId: number | bigint
  /** Wei added to the bundle's fee. */
  amount: bigint
  /** The InteropCenter of the bundle's source chain (the client's chain). */
  interopCenter: Address
}

/** What {@link topUpFee} resolves with. */
export type TopUpFeeReturnType = { transactionHash: Hex; receipt: TransactionReceipt; total: bigint }

/**
 * Adds to the fee of a bundle that waits, on its source chain (`InteropCenter.topUpFee`; anyone may): a
 * relayer that skipped it as underpaid executes it at its next look (docs/fees.md). Only a bundle sent with a
 * `fee` (the `executionGasLimit` attribute), even one of 0 wei, can be topped up (`NoFee` otherwise: its
 * execution is not recorded, so no fee for it could be claimed); refused once the fee was claimed
 * (`FeeAlreadyClaimed`).
 *
 * @example
 * ```ts
 * await topUpFee(alphaWallet, { bundleHash, destinationChainId: 272, amount: 10n ** 14n, interopCenter })
 * ```
 */
export async function topUpFee<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: TopUpFeeParameters,
): Promise<TopUpFeeReturnType> {
  const { hash, receipt } = await writeContractAndWait(client as unknown as WalletClient, {
    address: parameters.interopCenter,
    abi: c.interopCenterAbi,
    functionName: 'topUpFee',
    args: [parameters.bundleHash, BigInt(parameters.destinationChainId)],
    value: parameters.amount,
    action: 'topUpFee',
    chainName: client.chain?.name ?? 'the source chain',
  })
  const [paid] = parseEventLogs({ abi: c.interopCenterAbi, logs: receipt.logs, eventName: 'FeePaid' })
  return { transactionHash: hash, receipt, total: paid?.args.total ?? 0n }
}
