import { keccak256, stringToBytes, type Hex } from 'viem'
import type { XmlDocument } from 'libxml2-wasm'
import { PACS008_NAMESPACE, PACS008_SUBSET_XSD } from './pacs008Schema.js'
import { parseAndValidate, pathOf } from './validateXml.js'

/** A party of the message (debtor or creditor) with its account. */
export type Pacs008Party = {
  /** `Nm`, when given. */
  name: string | undefined
  /** The account's `Id/IBAN` or `Id/Othr/Id`. */
  account: string
  /** Path of the account identifier in the message (for errors naming it). */
  accountPath: string
}

/** A bank of the message (an agent) by its BIC. */
export type Pacs008Agent = {
  bic: string
  /** Path of `BICFI` in the message. */
  path: string
}

/** The fields of a pacs.008.001.08 message Junction uses (one transaction per message). */
export type Pacs008Message = {
  /** The message exactly as received. */
  xml: string
  /** keccak256 of the message's UTF-8 bytes: what is recorded on chain. */
  hash: Hex
  groupHeader: {
    messageId: string
    /** `CreDtTm` as written (ISO 8601). */
    createdAt: string
    numberOfTransactions: number
    /** `SttlmInf/SttlmMtd`: INDA, INGA, COVE or CLRG. */
    settlementMethod: string
  }
  transaction: {
    instructionId: string | undefined
    endToEndId: string
    transactionId: string | undefined
    /** The UETR (UUID v4, lower case): the payment's idempotency key on chain. */
    uetr: string
    /** `IntrBkSttlmAmt` as written, and its `Ccy`. */
    amount: { value: string; currency: string }
    settlementDate: string | undefined
    /** `SttlmTmReq/RjctTm` as written (an ISO time, e.g. `16:00:00Z`): the time after which the payment is to be rejected. */
    rejectTime: string | undefined
    /** DEBT, CRED, SHAR or SLEV. */
    chargeBearer: string
    debtor: Pacs008Party
    creditor: Pacs008Party
    debtorAgent: Pacs008Agent
    creditorAgent: Pacs008Agent
    /** `RmtInf/Ustrd` lines. */
    remittance: string[]
  }
}

/** Paths of the elements Junction reads, from the root, without namespace prefixes. */
export const PACS008_PATHS = {
  transaction: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf',
  amount: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt',
  currency: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt/@Ccy',
  rejectTime: '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/SttlmTmReq/RjctTm',
} as const

/**
 * Parses a pacs.008.001.08 message (FI-to-FI customer credit transfer) and validates it against Junction's
 * schema subset (src/payments/pacs008Schema.ts, XSD validation in libxml2 compiled to WebAssembly). Pure:
 * no chain, no directory; {@link checkPayment} then checks it against the banks.
 *
 * Throws {@link PaymentMessageRefusedError}: `malformed` (not well-formed XML, with its line) or `schema`
 * (with the path of the first offending element and every problem libxml2 found in `details`).
 *
 * @example
 * ```ts
 * const message = parsePacs008(readFileSync('examples/payments/pacs008.xml', 'utf8'))
 * message.transaction.uetr // 'eb6305c9-1f7f-49de-aed0-16487c27b42d'
 * ```
 */
export function parsePacs008(xml: string): Pacs008Message {
  const document = parseAndValidate(xml, PACS008_SUBSET_XSD)
  try {
    return read(document, xml)
  } finally {
    document.dispose()
  }
}

/** Reads the fields of a document the schema accepted (so every mandatory element is there). */
function read(document: XmlDocument, xml: string): Pacs008Message {
  const ns = { p: PACS008_NAMESPACE }
  const at = (path: string) => document.get(`/p:Document/p:FIToFICstmrCdtTrf/${path.split('/').map((s) => (s.startsWith('@') ? s : `p:${s}`)).join('/')}`, ns)
  const optional = (path: string) => at(path)?.content.trim()
  const required = (path: string) => {
    const value = optional(path)
    if (value === undefined) throw new Error(`parsePacs008: ${path} missing from a message the schema accepted`)
    return value
  }
  const party = (party: 'Dbtr' | 'Cdtr'): Pacs008Party => {
    const id = at(`CdtTrfTxInf/${party}Acct/Id/IBAN`) ?? at(`CdtTrfTxInf/${party}Acct/Id/Othr/Id`)
    if (!id) throw new Error(`parsePacs008: ${party}Acct/Id missing from a message the schema accepted`)
    return { name: optional(`CdtTrfTxInf/${party}/Nm`), account: id.content.trim(), accountPath: pathOf(id) }
  }
  const agent = (agent: 'DbtrAgt' | 'CdtrAgt'): Pacs008Agent => ({ bic: required(`CdtTrfTxInf/${agent}/FinInstnId/BICFI`), path: `${PACS008_PATHS.transaction}/${agent}/FinInstnId/BICFI` })
  return {
    xml,
    hash: keccak256(stringToBytes(xml)),
    groupHeader: {
      messageId: required('GrpHdr/MsgId'),
      createdAt: required('GrpHdr/CreDtTm'),
      numberOfTransactions: Number(required('GrpHdr/NbOfTxs')),
      settlementMethod: required('GrpHdr/SttlmInf/SttlmMtd'),
    },
    transaction: {
      instructionId: optional('CdtTrfTxInf/PmtId/InstrId'),
      endToEndId: required('CdtTrfTxInf/PmtId/EndToEndId'),
      transactionId: optional('CdtTrfTxInf/PmtId/TxId'),
      uetr: required('CdtTrfTxInf/PmtId/UETR'),
      amount: { value: required('CdtTrfTxInf/IntrBkSttlmAmt'), currency: required('CdtTrfTxInf/IntrBkSttlmAmt/@Ccy') },
      settlementDate: optional('CdtTrfTxInf/IntrBkSttlmDt'),
      rejectTime: optional('CdtTrfTxInf/SttlmTmReq/RjctTm'),
      chargeBearer: required('CdtTrfTxInf/ChrgBr'),
      debtor: party('Dbtr'),
      creditor: party('Cdtr'),
      debtorAgent: agent('DbtrAgt'),
      creditorAgent: agent('CdtrAgt'),
      remittance: document.find('/p:Document/p:FIToFICstmrCdtTrf/p:CdtTrfTxInf/p:RmtInf/p:Ustrd', ns).map((n) => n.content.trim()),
    },
  }
}
