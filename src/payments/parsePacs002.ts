import { PaymentMessageRefusedError } from '../errors/payments.js'
import { PACS002_NAMESPACE, PACS002_SUBSET_XSD } from './pacs002Schema.js'
import type { PaymentStatusReport, PaymentTransactionStatus } from './paymentStatus.js'
import { parseAndValidate } from './validateXml.js'

/**
 * Parses a pacs.002.001.10 status report on one payment and validates it against Junction's schema subset
 * (src/payments/pacs002Schema.ts). Throws {@link PaymentMessageRefusedError} (`malformed`, `schema`, with the
 * offending element's path), also for a `TxSts` Junction does not use (not ACSC, RJCT or PDNG).
 *
 * @example
 * ```ts
 * const report = parsePacs002(xml)
 * report.status // 'RJCT'
 * report.reason // 'AC03'
 * ```
 */
export function parsePacs002(xml: string): PaymentStatusReport {
  const document = parseAndValidate(xml, PACS002_SUBSET_XSD)
  try {
    const ns = { p: PACS002_NAMESPACE }
    const optional = (path: string) => document.get(`/p:Document/p:FIToFIPmtStsRpt/${path.split('/').map((s) => `p:${s}`).join('/')}`, ns)?.content.trim()
    const required = (path: string) => {
      const value = optional(path)
      if (value === undefined) throw new Error(`parsePacs002: ${path} missing from a report the schema accepted`)
      return value
    }
    const status = required('TxInfAndSts/TxSts')
    if (status !== 'ACSC' && status !== 'RJCT' && status !== 'PDNG') {
      throw new PaymentMessageRefusedError({ refusal: 'schema', path: '/Document/FIToFIPmtStsRpt/TxInfAndSts/TxSts', reason: `status ${status} is not one Junction answers with (ACSC, RJCT, PDNG)` })
    }
    return {
      messageId: required('GrpHdr/MsgId'),
      createdAt: required('GrpHdr/CreDtTm'),
      instructingAgent: required('GrpHdr/InstgAgt/FinInstnId/BICFI'),
      instructedAgent: optional('GrpHdr/InstdAgt/FinInstnId/BICFI'),
      originalMessageId: required('OrgnlGrpInfAndSts/OrgnlMsgId'),
      originalMessageNameId: required('OrgnlGrpInfAndSts/OrgnlMsgNmId'),
      originalCreatedAt: required('OrgnlGrpInfAndSts/OrgnlCreDtTm'),
      originalInstructionId: optional('TxInfAndSts/OrgnlInstrId'),
      originalEndToEndId: required('TxInfAndSts/OrgnlEndToEndId'),
      originalTransactionId: optional('TxInfAndSts/OrgnlTxId'),
      uetr: required('TxInfAndSts/OrgnlUETR'),
      status: status satisfies PaymentTransactionStatus,
      reason: optional('TxInfAndSts/StsRsnInf/Rsn/Cd'),
      additionalInformation: optional('TxInfAndSts/StsRsnInf/AddtlInf'),
    }
  } finally {
    document.dispose()
  }
}
