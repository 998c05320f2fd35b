import { encodeFunctionData, type Abi, type Address, type Chain, type Hex, type TransactionReceipt, type WalletClient } from 'viem'
import { estimateGas, waitForTransactionReceipt, writeContract } from 'viem/actions'
import { explainRevert } from './ChainConnection.js'
import { explainMinedRevert } from './explainMinedRevert.js'
import { withGasMargin } from './gasMargin.js'

/** Parameters of {@link writeContractAndWait}. */
export type WriteContractAndWaitParameters = {
  address: Address
  abi: Abi
  functionName: string
  args?: readonly unknown[] | undefined
  value?: bigint | undefined
  /** The chain to send on (default: the client's). */
  chain?: Chain | null | undefined
  /** Label used in errors, e.g. `depositETH`. Default: the function name. */
  action?: string | undefined
  /** The chain's name, used in errors (`L1`, `alpha`). */
  chainName: string
}

/** What {@link writeContractAndWait} resolves with: the transaction's hash and its successful receipt. */
export type WriteContractAndWaitReturnType = { hash: Hex; receipt: TransactionReceipt }

/**
 * Sends a contract call from the client's account the way every SDK action does: estimates its gas and
 * sends with {@link withGasMargin} (so a call whose cost depends on what lands before it does not run out
 * of gas), waits for its receipt, and throws `ContractRevertedError` with the decoded reason when the
 * estimate or the mined transaction reverts (never a receipt of a reverted transaction).
 *
 * @example
 * ```ts
 * const { hash, receipt } = await writeContractAndWait(wallet, { address: router, abi: c.l1AssetRouterAbi, functionName: 'depositETH', args: [271n, me], value, chainName: 'L1' })
 * ```
 */
export async function writeContractAndWait(client: WalletClient, parameters: WriteContractAndWaitParameters): Promise<WriteContractAndWaitReturnType> {
  const action = parameters.action ?? parameters.functionName
  const account = client.account
  if (!account) throw new Error(`${action}: the client has no account to send from`)
  const data = encodeFunctionData({ abi: parameters.abi, functionName: parameters.functionName, args: parameters.args ?? [] } as never)
  const explain = (error: unknown) => {
    throw explainRevert(error, action, parameters.chainName)
  }
  const estimate = await estimateGas(client, { account, to: parameters.address, data, value: parameters.value }).catch(explain)
  const hash = await writeContract(client, {
    address: parameters.address,
    abi: parameters.abi,
    functionName: parameters.functionName,
    args: parameters.args ?? [],
    value: parameters.value,
    gas: withGasMargin(estimate),
    chain: parameters.chain === undefined ? client.chain ?? null : parameters.chain,
    account,
  } as never).catch(explain)
  const receipt = await waitForTransactionReceipt(client, { hash, pollingInterval: 10 })
  if (receipt.status !== 'success') {
    throw await explainMinedRevert(client, { from: account.address, to: parameters.address, data, value: parameters.value, hash, blockNumber: receipt.blockNumber, action, chainName: parameters.chainName })
  }
  return { hash, receipt }
}
