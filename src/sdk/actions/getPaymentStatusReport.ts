import type { Chain, Client, Transport } from 'viem'
import { PaymentDeliveryMismatchError, PaymentStatusTimeoutError } from '../../errors/payments.js'
import type { NetworkManifest } from '../../network/types.js'
import type { BankDirectory } from '../../payments/bankDirectory.js'
import { buildPacs002 } from '../../payments/buildPacs002.js'
import { checkPayment, type PaymentInstruction } from '../../payments/checkPayment.js'
import { parsePacs008 } from '../../payments/parsePacs008.js'
import { statusReportFor, type PaymentStatusReport } from '../../payments/paymentStatus.js'
import { findChain } from '../loadManifest.js'
import { getIsoPayment, type IsoPaymentRecord } from './getIsoPayment.js'

/** Parameters of {@link getPaymentStatusReport}. */
export type GetPaymentStatusReportParameters = {
  /** The pacs.008 that was paid (the debtor bank has it; the creditor bank got it in `delivery`). */
  xml: string
  directory: BankDirectory
  manifest: NetworkManifest
  /** Whose record to read: the debtor bank's (default; the answer as it arrived back) or the creditor bank's (as it decided). The client must be on that bank's chain. */
  bank?: 'debtor' | 'creditor'
  /** Wait this long for the answer while the payment is still pending (default 0: answer at once, `PDNG` included). */
  timeoutMs?: number
  /** Wait between reads while waiting. Default 50 ms. */
  pollMs?: number
}

/** What {@link getPaymentStatusReport} resolves with. */
export type GetPaymentStatusReportReturnType = {
  instruction: PaymentInstruction
  /** The record under the UETR on the bank's chain. */
  record: IsoPaymentRecord
  /** `ACSC`, `RJCT` (with `report.reason`) or `PDNG` (no answer yet: `report` and `xml` undefined). */
  status: 'ACSC' | 'RJCT' | 'PDNG'
  report: PaymentStatusReport | undefined
  /** The pacs.002.001.10 XML, validated against Junction's schema subset. */
  xml: string | undefined
}

/**
 * The pacs.002 status report on a pacs.008 payment, built from what the chain recorded under its UETR
 * (docs/payments.md): `ACSC` once the creditor bank credited the creditor and its answer reached the debtor
 * bank, `RJCT` with the ISO 20022 reason code the creditor bank's PaymentBank decided (`AC03`, `AC06`,
 * `AM02`, `AM05`; the cash came back and the debtor was re-credited), `PDNG` while the answer is on its way.
 * The message's keccak256 must equal the one recorded (else {@link PaymentDeliveryMismatchError}); with
 * `timeoutMs`, waits for the answer ({@link PaymentStatusTimeoutError} when it does not come).
 *
 * @example
 * ```ts
 * const { status, xml } = await getPaymentStatusReport(bankAClient, { xml: pacs008, directory, manifest, timeoutMs: 30_000 })
 * status // 'ACSC'
 * ```
 */
export async function getPaymentStatusReport<chain extends Chain | undefined>(client: Client<Transport, chain>, parameters: GetPaymentStatusReportParameters): Promise<GetPaymentStatusReportReturnType> {
  const instruction = checkPayment(parsePacs008(parameters.xml), parameters.directory)
  const { uetr } = instruction.message.transaction
  const side = parameters.bank ?? 'debtor'
  const bank = side === 'debtor' ? instruction.debtorBank : instruction.creditorBank
  const chain = findChain(parameters.manifest, bank.chain)
  if (client.chain?.id !== undefined && client.chain.id !== chain.chainId) {
    throw new PaymentDeliveryMismatchError({ uetr, reason: `the client is on chain ${client.chain.id}, the ${side} bank ${bank.bic} on ${chain.name} (${chain.chainId})` })
  }
  const paymentBank = side === 'debtor' ? instruction.debtorContract : instruction.creditorContract
  const timeoutMs = parameters.timeoutMs ?? 0
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const records = await getIsoPayment(client, { paymentBank, uetr })
    const record = side === 'debtor' ? records.sent : records.received
    if (record && record.messageHash !== instruction.messageHash) {
      throw new PaymentDeliveryMismatchError({ uetr, reason: `${chain.name} recorded message hash ${record.messageHash} under this UETR, the message hashes to ${instruction.messageHash}` })
    }
    if (record && record.status !== 'pending') {
      const status = record.status === 'accepted' ? 'ACSC' : 'RJCT'
      const report = statusReportFor(instruction.message, { status, reason: record.reason, decidedAt: record.decidedAt ?? 0 })
      return { instruction, record, status, report, xml: buildPacs002(report) }
    }
    if (Date.now() >= deadline) {
      if (timeoutMs > 0) throw new PaymentStatusTimeoutError({ uetr, chain: chain.name, timeoutMs, sent: record !== undefined })
      if (record) return { instruction, record, status: 'PDNG', report: undefined, xml: undefined }
      throw new PaymentDeliveryMismatchError({ uetr, reason: `${chain.name} recorded no payment under this UETR` })
    }
    await new Promise((resolve) => setTimeout(resolve, parameters.pollMs ?? 50))
  }
}
