import { JunctionError } from './JunctionError.js'

/**
 * Why a payment message was refused before anything was sent:
 * - `malformed`: the text is not well-formed XML;
 * - `schema`: the XML is not a pacs.008.001.08 message of Junction's schema subset (src/payments/pacs008Schema.ts);
 * - `unknownBic`: an agent's BIC is not a bank of the configured bank directory;
 * - `unknownAccount`: the debtor's or creditor's account is not an account of its bank in the directory;
 * - `currency`: no token maps to the settlement currency (at the directory, or at one of the two banks);
 * - `precision`: the amount has more decimals than the currency's token;
 * - `amount`: the amount is zero, or too large for the chain (uint256).
 */
export type PaymentRefusal = 'malformed' | 'schema' | 'unknownBic' | 'unknownAccount' | 'currency' | 'precision' | 'amount'

const REFUSAL_DETAILS: Record<PaymentRefusal, string> = {
  malformed: 'The file is not well-formed XML: fix the element at the path and line given (an unclosed tag, a stray character, a wrong encoding).',
  schema: "The message is not a pacs.008.001.08 of Junction's subset (docs/payments.md lists the elements covered): fix or remove the element at the path given.",
  unknownBic: 'The BIC is not a bank of the bank directory: use the BIC of a configured bank (junction demo payment prints them) or add the bank to the directory.',
  unknownAccount: "The account is not one of its bank's accounts in the directory: use an account the bank holds for the customer, or register it.",
  currency: 'No deposit token and cash token map to this currency at both banks: pay in a configured currency.',
  precision: "The amount has more decimals than the currency's token: round it to the token's decimals.",
  amount: 'The amount must be positive and fit in uint256 token units.',
}

/**
 * A payment message was refused before anything was sent; `refusal` says why ({@link PaymentRefusal}),
 * `path` names the offending element (`/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR`, attributes as
 * `…/IntrBkSttlmAmt/@Ccy`), `line` its line in the XML when known.
 *
 * @example
 * ```ts
 * try { parsePacs008(xml) } catch (e) { if (e instanceof PaymentMessageRefusedError) console.error(e.refusal, e.path) }
 * ```
 */
export class PaymentMessageRefusedError extends JunctionError {
  override name = 'PaymentMessageRefusedError'
  readonly refusal: PaymentRefusal
  /** The offending element (or attribute), slash-separated from the root, without namespace prefixes. */
  readonly path: string
  /** Its line in the message, when the parser knows it. */
  readonly line: number | undefined
  /** What was wrong, in one line. */
  readonly reason: string

  constructor({ refusal, path, line, reason, cause }: { refusal: PaymentRefusal; path: string; line?: number | undefined; reason: string; cause?: unknown }) {
    super(`payment refused (${refusal}) at ${path}${line === undefined ? '' : ` (line ${line})`}: ${reason}`, { details: REFUSAL_DETAILS[refusal], cause })
    this.refusal = refusal
    this.path = path
    this.line = line
    this.reason = reason
  }
}

/**
 * The debtor's bank already sent a payment with this UETR (the on-chain idempotency key): the second one is
 * refused, on chain (`DuplicateUetr`) and before sending when the SDK sees the record first.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof DuplicateUetrError) console.error(`already paid: ${e.uetr}`) }
 * ```
 */
export class DuplicateUetrError extends JunctionError {
  override name = 'DuplicateUetrError'
  readonly uetr: string

  constructor({ uetr, chain, cause }: { uetr: string; chain: string; cause?: unknown }) {
    super(`payment ${uetr} was already sent on ${chain}`, {
      details: 'The UETR is the idempotency key of a payment: a message with a UETR already paid is refused. Send a new payment with a new UETR (a fresh UUID v4).',
      cause,
    })
    this.uetr = uetr
  }
}

/**
 * The message handed to the creditor bank does not match what its chain recorded under the UETR: no
 * payment received yet, another message hash (the XML was altered or is another message), another
 * amount or creditor.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PaymentDeliveryMismatchError) console.error(e.reason) }
 * ```
 */
export class PaymentDeliveryMismatchError extends JunctionError {
  override name = 'PaymentDeliveryMismatchError'
  readonly uetr: string
  readonly reason: string

  constructor({ uetr, reason }: { uetr: string; reason: string }) {
    super(`the message delivered for payment ${uetr} does not match the chain: ${reason}`, {
      details: 'Accept a delivered message only once its keccak256, amount and creditor match the payment recorded on your chain; ask the debtor bank for the message it sent, or wait until the bundle executed.',
    })
    this.uetr = uetr
    this.reason = reason
  }
}

/**
 * The creditor bank's answer to a payment (its pacs.002 status on chain) did not arrive in time: the
 * payment is still pending (`sent`), or was never recorded on the chain read.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PaymentStatusTimeoutError) console.error(`no answer yet for ${e.uetr}`) }
 * ```
 */
export class PaymentStatusTimeoutError extends JunctionError {
  override name = 'PaymentStatusTimeoutError'
  readonly uetr: string

  constructor({ uetr, chain, timeoutMs, sent }: { uetr: string; chain: string; timeoutMs: number; sent: boolean }) {
    super(sent ? `payment ${uetr} got no answer on ${chain} within ${timeoutMs} ms` : `${chain} recorded no payment ${uetr} within ${timeoutMs} ms`, {
      details: sent
        ? "The creditor bank answers once the relayer executed the payment's bundle on its chain, and the answer bundle on this one: check that the services run (`junction status`) and wait longer."
        : 'Read the status on the chain of the bank that sent (debtor) or received (creditor) the payment, after it was sent.',
    })
    this.uetr = uetr
  }
}

/**
 * The debtor bank refused the payment on chain before anything was sent (at gas estimation: nothing mined),
 * for a reason ISO 20022 names: `AM04` (insufficient funds: the debtor's deposit or the bank's cash is
 * short). `statusReport` is the pacs.002.001.10 `RJCT` the debtor bank answers with; `cause` is the
 * contract's revert (`InsufficientBalance`, `InsufficientCash`). The UETR stays free.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PaymentRejectedError) console.log(e.reasonCode, e.statusReport) }
 * ```
 */
export class PaymentRejectedError extends JunctionError {
  override name = 'PaymentRejectedError'
  readonly uetr: string
  /** The ISO 20022 status reason code. */
  readonly reasonCode: string
  /** The pacs.002.001.10 RJCT report. */
  readonly statusReport: string

  constructor({ uetr, reasonCode, statusReport, reason, cause }: { uetr: string; reasonCode: string; statusReport: string; reason: string; cause?: unknown }) {
    super(`payment ${uetr} rejected (RJCT ${reasonCode}) before sending: ${reason}`, {
      details: 'Nothing was sent and the UETR is still free: fund the debtor (or the bank\'s cash) and send again.',
      cause,
    })
    this.uetr = uetr
    this.reasonCode = reasonCode
    this.statusReport = statusReport
  }
}
