import { PaymentMessageRefusedError } from '../errors/payments.js'
import { PACS002_NAMESPACE, PACS002_SUBSET_XSD } from './pacs002Schema.js'
import type { PaymentStatusReport } from './paymentStatus.js'
import { parseAndValidate } from './validateXml.js'

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * Writes a pacs.002.001.10 (FI-to-FI payment status report) on one payment and validates it against
 * Junction's schema subset (src/payments/pacs002Schema.ts) before returning it. A `RJCT` must carry a
 * reason and `ACSC` / `PDNG` none.
 *
 * Throws {@link PaymentMessageRefusedError} (`schema`) when the report does not validate (a field too long,
 * a reason code that is not four letters or digits).
 *
 * @example
 * ```ts
 * const xml = buildPacs002(statusReportFor(parsePacs008(pacs008Xml), { status: 'ACSC', decidedAt: 1_796_000_000 }))
 * ```
 */
export function buildPacs002(report: PaymentStatusReport): string {
  if ((report.status === 'RJCT') !== (report.reason !== undefined)) {
    throw new PaymentMessageRefusedError({
      refusal: 'schema',
      path: '/Document/FIToFIPmtStsRpt/TxInfAndSts/StsRsnInf/Rsn/Cd',
      reason: report.status === 'RJCT' ? 'a RJCT status report needs a reason code' : `a ${report.status} status report carries no reason code (got ${report.reason})`,
    })
  }
  const element = (name: string, value: string | undefined, indent: string) => (value === undefined ? '' : `${indent}<${name}>${escape(value)}</${name}>\n`)
  const agent = (name: string, bic: string, indent: string) => `${indent}<${name}>\n${indent}  <FinInstnId>\n${indent}    <BICFI>${escape(bic)}</BICFI>\n${indent}  </FinInstnId>\n${indent}</${name}>\n`
  const reason =
    report.reason === undefined
      ? ''
      : `      <StsRsnInf>\n        <Rsn>\n          <Cd>${escape(report.reason)}</Cd>\n        </Rsn>\n${element('AddtlInf', report.additionalInformation?.slice(0, 105), '        ')}      </StsRsnInf>\n`
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Document xmlns="${PACS002_NAMESPACE}">\n` +
    `  <FIToFIPmtStsRpt>\n` +
    `    <GrpHdr>\n` +
    element('MsgId', report.messageId, '      ') +
    element('CreDtTm', report.createdAt, '      ') +
    agent('InstgAgt', report.instructingAgent, '      ') +
    (report.instructedAgent === undefined ? '' : agent('InstdAgt', report.instructedAgent, '      ')) +
    `    </GrpHdr>\n` +
    `    <OrgnlGrpInfAndSts>\n` +
    element('OrgnlMsgId', report.originalMessageId, '      ') +
    element('OrgnlMsgNmId', report.originalMessageNameId, '      ') +
    element('OrgnlCreDtTm', report.originalCreatedAt, '      ') +
    `    </OrgnlGrpInfAndSts>\n` +
    `    <TxInfAndSts>\n` +
    element('OrgnlInstrId', report.originalInstructionId, '      ') +
    element('OrgnlEndToEndId', report.originalEndToEndId, '      ') +
    element('OrgnlTxId', report.originalTransactionId, '      ') +
    element('OrgnlUETR', report.uetr, '      ') +
    element('TxSts', report.status, '      ') +
    reason +
    `    </TxInfAndSts>\n` +
    `  </FIToFIPmtStsRpt>\n` +
    `</Document>\n`
  parseAndValidate(xml, PACS002_SUBSET_XSD).dispose()
  return xml
}
