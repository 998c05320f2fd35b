import type { Pacs008Message } from './parsePacs008.js'

/** A payment's transaction status as pacs.002 `TxSts` says it: settled, refused, or waiting for the creditor bank. */
export type PaymentTransactionStatus = 'ACSC' | 'RJCT' | 'PDNG'

/**
 * The ISO 20022 status reason codes (ExternalStatusReason1Code) Junction's payments answer with, and what
 * each means. `AC03`, `AC06`, `AM02`, `AM05`, `FF01` and `AB05` come from the creditor bank's PaymentBank on its
 * chain; `AM04`, and `AB05` for a deadline already past, from the debtor bank's, before anything is sent.
 */
export const PAYMENT_REASON_CODES = {
  AC03: 'Invalid creditor account number: the creditor bank holds no open account for the creditor',
  AC06: 'Blocked account: the creditor account is blocked at the creditor bank',
  AM02: 'Not allowed amount: above the largest incoming payment the creditor bank accepts',
  AM04: 'Insufficient funds: the debtor deposit or the debtor bank cash does not cover the amount',
  AM05: 'Duplication: the creditor bank already received a payment with this UETR',
  AB05: 'Timeout: the payment reached the creditor bank after its deadline (RjctTm, else one hour after sending)',
  FF01: 'Invalid file format: the message delivered is not the one the debtor bank hashed, or names another UETR',
} as const

/** A reason code Junction answers with. */
export type PaymentReasonCode = keyof typeof PAYMENT_REASON_CODES

/** The fields of a pacs.002.001.10 status report on one payment (what Junction writes and reads). */
export type PaymentStatusReport = {
  /** `GrpHdr/MsgId`: the report's own id. */
  messageId: string
  /** `GrpHdr/CreDtTm` (ISO 8601, UTC): when the status was decided. */
  createdAt: string
  /**
   * `GrpHdr/InstgAgt` (who reports) and `InstdAgt` (who is told), BICs: the creditor bank to the debtor bank;
   * for a refusal before sending (`AM04`), the debtor bank itself, to nobody upstream (no `InstdAgt`).
   */
  instructingAgent: string
  instructedAgent: string | undefined
  /** `OrgnlGrpInfAndSts`: the pacs.008's `MsgId`, its message name, its `CreDtTm`. */
  originalMessageId: string
  originalMessageNameId: string
  originalCreatedAt: string
  /** `TxInfAndSts`: the original payment's references. */
  originalInstructionId: string | undefined
  originalEndToEndId: string
  originalTransactionId: string | undefined
  uetr: string
  status: PaymentTransactionStatus
  /** `StsRsnInf/Rsn/Cd`, on `RJCT` only. */
  reason: string | undefined
  /** `StsRsnInf/AddtlInf`, when given. */
  additionalInformation: string | undefined
}

/** The status report's `MsgId` for a payment: `STS` and the UETR's 32 hex digits (35 characters, Max35Text). */
export function statusReportMessageId(uetr: string): string {
  return `STS${uetr.toLowerCase().replace(/-/g, '')}`
}

/**
 * The status report on a pacs.008 payment, from its outcome on chain: who reports (the creditor agent) to
 * whom (the debtor agent; with `reportedBy: 'debtor'` the debtor bank reports its own refusal), the original references, the status and, on `RJCT`, the reason. Pure: the same
 * message and outcome give the same report on either bank (its `MsgId` derives from the UETR and its
 * `CreDtTm` is the creditor bank's block time of the decision).
 *
 * @example
 * ```ts
 * const report = statusReportFor(parsePacs008(xml), { status: 'RJCT', reason: 'AC03', decidedAt: 1_796_000_000 })
 * buildPacs002(report) // the pacs.002.001.10 XML
 * ```
 */
export function statusReportFor(
  message: Pacs008Message,
  outcome: { status: PaymentTransactionStatus; reason?: string | undefined; decidedAt: number; reportedBy?: 'creditor' | 'debtor' },
): PaymentStatusReport {
  const { transaction } = message
  const byDebtorBank = outcome.reportedBy === 'debtor'
  const known = outcome.reason ? (PAYMENT_REASON_CODES as Record<string, string>)[outcome.reason] : undefined
  return {
    messageId: statusReportMessageId(transaction.uetr),
    createdAt: new Date(outcome.decidedAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    instructingAgent: byDebtorBank ? transaction.debtorAgent.bic : transaction.creditorAgent.bic,
    instructedAgent: byDebtorBank ? undefined : transaction.debtorAgent.bic,
    originalMessageId: message.groupHeader.messageId,
    originalMessageNameId: 'pacs.008.001.08',
    originalCreatedAt: message.groupHeader.createdAt,
    originalInstructionId: transaction.instructionId,
    originalEndToEndId: transaction.endToEndId,
    originalTransactionId: transaction.transactionId,
    uetr: transaction.uetr,
    status: outcome.status,
    reason: outcome.status === 'RJCT' ? outcome.reason : undefined,
    additionalInformation: outcome.status === 'RJCT' ? known : undefined,
  }
}

/** The reason code of a refusal the debtor bank's PaymentBank makes before anything is sent, by its custom error; undefined for the others. */
export function reasonCodeForRefusal(errorName: string | undefined): PaymentReasonCode | undefined {
  if (errorName === 'InsufficientBalance' || errorName === 'InsufficientCash') return 'AM04'
  return errorName === 'DeadlinePassed' ? 'AB05' : undefined
}
