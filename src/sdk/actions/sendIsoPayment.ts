import { parseEventLogs, stringToHex, type Account, type Chain, type Hex, type TransactionReceipt, type Transport, type WalletClient } from 'viem'
import { getBlock, readContract } from 'viem/actions'
import { writeContractAndWait } from '../../chain/writeContractAndWait.js'
import * as c from '../../contracts/generated/index.js'
import { ContractRevertedError } from '../../errors/ContractRevertedError.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { DuplicateUetrError, PaymentRejectedError } from '../../errors/payments.js'
import { buildPacs002 } from '../../payments/buildPacs002.js'
import { reasonCodeForRefusal, statusReportFor } from '../../payments/paymentStatus.js'
import type { NetworkManifest } from '../../network/types.js'
import type { BankDirectory } from '../../payments/bankDirectory.js'
import { checkPayment, type PaymentInstruction } from '../../payments/checkPayment.js'
import { parsePacs008 } from '../../payments/parsePacs008.js'
import { paymentDeadline, type PaymentDeadline } from '../../payments/paymentDeadline.js'
import { findChain } from '../loadManifest.js'

/** Parameters of {@link sendIsoPayment}. */
export type SendIsoPaymentParameters = {
  /** The pacs.008.001.08 message, as XML text. */
  xml: string
  /** The banks, their chains, contracts and accounts; a BIC, account or currency absent from it is refused. */
  directory: BankDirectory
  /** The network: resolves the banks' chains (`alpha`, `beta` today; `bank-a`, `bank-b` once private chains exist). */
  manifest: NetworkManifest
}

/** What {@link sendIsoPayment} resolves with. */
export type SendIsoPaymentReturnType = {
  /** The message checked and resolved to chain terms. */
  instruction: PaymentInstruction
  /** The bundle carrying the cash and the credit to the creditor's chain (follow it with `waitForMessage`). */
  bundleHash: Hex
  transactionHash: Hex
  receipt: TransactionReceipt
  /** The payment's deadline on chain: the creditor bank answers `RJCT AB05` to a delivery after it. */
  deadline: PaymentDeadline
}

/**
 * Pays an ISO 20022 pacs.008.001.08 cross-border payment from the debtor bank, in ONE interop bundle
 * (docs/payments.md). First, with nothing sent: the message is parsed and validated against the schema
 * subset, checked against the bank directory (BICs, accounts, currency, decimals), the client must be on
 * the debtor bank's chain, and the UETR must not have been paid (`DuplicateUetrError`); a debtor or bank
 * short of funds is refused by the contract at gas estimation, which the SDK answers with a pacs.002 `RJCT`
 * `AM04` ({@link PaymentRejectedError}), and so is a deadline already past (`AB05`). The deadline is the
 * message's `SttlmTmReq/RjctTm`, else one hour after the debtor chain's latest block ({@link paymentDeadline}). The creditor bank's answer (ACSC, or RJCT with the cash sent back)
 * arrives later on chain: {@link getPaymentStatusReport}. Then the debtor
 * bank's PaymentBank debits the debtor's deposit tokens and sends the bundle: the cash token moves to the
 * creditor bank's PaymentBank, which credits the creditor with its deposit tokens. The XML travels in the
 * bundle: the debtor bank's PaymentBank hashes it on chain, the creditor bank's checks it (`RJCT FF01` if it
 * does not hash to that or does not name the UETR) and emits it for its bank ({@link getIsoPaymentMessage}).
 *
 * The client signs as the debtor bank's operator (the account that deployed its PaymentBank).
 *
 * @example
 * ```ts
 * const { bundleHash, instruction } = await sendIsoPayment(bankAWallet, { xml: readFileSync('pacs008.xml', 'utf8'), directory, manifest })
 * await waitForMessage(index, { bundleHash })
 * const { xml } = await getIsoPaymentMessage(bankBClient, { paymentBank: instruction.creditorContract, uetr: instruction.message.transaction.uetr })
 * ```
 */
export async function sendIsoPayment<chain extends Chain | undefined, account extends Account | undefined>(
  client: WalletClient<Transport, chain, account>,
  parameters: SendIsoPaymentParameters,
): Promise<SendIsoPaymentReturnType> {
  const instruction = checkPayment(parsePacs008(parameters.xml), parameters.directory)
  const debtorChain = findChain(parameters.manifest, instruction.debtorBank.chain)
  const creditorChain = findChain(parameters.manifest, instruction.creditorBank.chain)
  if (client.chain?.id !== debtorChain.chainId) {
    throw new JunctionError(`sendIsoPayment: the client is on chain ${client.chain?.id ?? 'unknown'}, the debtor bank ${instruction.debtorBank.bic} is on ${debtorChain.name} (${debtorChain.chainId})`, {
      details: "Sign with the debtor bank's operator on the debtor bank's chain.",
    })
  }
  const { uetr } = instruction.message.transaction
  const [, , , , , recorded] = await readContract(client, { address: instruction.debtorContract, abi: c.paymentBankAbi, functionName: 'sent', args: [instruction.uetr] })
  if (recorded !== 0n) throw new DuplicateUetrError({ uetr, chain: debtorChain.name })
  const { timestamp } = await getBlock(client, { blockTag: 'latest' })
  const deadline = paymentDeadline(instruction.message, { sentAt: timestamp })

  let sent: Awaited<ReturnType<typeof writeContractAndWait>>
  try {
    sent = await writeContractAndWait(client as unknown as WalletClient, {
      address: instruction.debtorContract,
      abi: c.paymentBankAbi,
      functionName: 'sendPayment',
      args: [instruction.uetr, instruction.debtor, instruction.units, BigInt(creditorChain.chainId), instruction.creditor, deadline.deadline, stringToHex(parameters.xml)],
      action: `sendPayment ${uetr}`,
      chainName: debtorChain.name,
    })
  } catch (error) {
    // Another payment with this UETR landed between the read and the send.
    if (error instanceof ContractRevertedError && error.errorName === 'DuplicateUetr') throw new DuplicateUetrError({ uetr, chain: debtorChain.name, cause: error })
    const reasonCode = error instanceof ContractRevertedError ? reasonCodeForRefusal(error.errorName) : undefined
    if (reasonCode && error instanceof ContractRevertedError) {
      const statusReport = buildPacs002(statusReportFor(instruction.message, { status: 'RJCT', reason: reasonCode, decidedAt: Math.floor(Date.now() / 1000), reportedBy: 'debtor' }))
      throw new PaymentRejectedError({ uetr, reasonCode, statusReport, reason: error.reason, cause: error })
    }
    throw error
  }
  const [event] = parseEventLogs({ abi: c.paymentBankAbi, logs: sent.receipt.logs, eventName: 'PaymentSent' })
  if (!event) throw new Error(`sendIsoPayment: transaction ${sent.hash} emitted no PaymentSent event`)
  const { bundleHash } = event.args
  return {
    instruction,
    bundleHash,
    transactionHash: sent.hash,
    receipt: sent.receipt,
    deadline,
  }
}
