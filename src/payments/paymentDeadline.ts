import { PaymentMessageRefusedError } from '../errors/payments.js'
import { PACS008_PATHS, type Pacs008Message } from './parsePacs008.js'

/** Seconds a payment without `SttlmTmReq/RjctTm` may take from its sending to its delivery at the creditor bank. */
export const DEFAULT_PAYMENT_DEADLINE_SECONDS = 3600

/** A payment's deadline (seconds since the epoch) and where it comes from. */
export type PaymentDeadline = {
  deadline: bigint
  /** `rejectTime`: the message's `SttlmTmReq/RjctTm`; `default`: {@link DEFAULT_PAYMENT_DEADLINE_SECONDS} after `sentAt`. */
  source: 'rejectTime' | 'default'
}

const ISO_TIME = /^(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * The deadline of a pacs.008 on chain: the creditor bank refuses the payment with `RJCT AB05` if it is
 * delivered after it. With `SttlmTmReq/RjctTm`, the moment that time names on the interbank settlement
 * date (`IntrBkSttlmDt`, else the date written in `GrpHdr/CreDtTm`), a time without an offset read as UTC,
 * fractions of a second dropped; without it, {@link DEFAULT_PAYMENT_DEADLINE_SECONDS} after `sentAt` (the
 * debtor bank chain's block time when sending). Pure.
 *
 * @example
 * ```ts
 * paymentDeadline(parsePacs008(xml), { sentAt: 1_796_000_000n }) // { deadline: 1_796_003_600n, source: 'default' }
 * ```
 */
export function paymentDeadline(message: Pacs008Message, { sentAt, defaultSeconds = DEFAULT_PAYMENT_DEADLINE_SECONDS }: { sentAt: bigint; defaultSeconds?: number }): PaymentDeadline {
  const { rejectTime, settlementDate } = message.transaction
  if (rejectTime === undefined) return { deadline: sentAt + BigInt(defaultSeconds), source: 'default' }
  const time = ISO_TIME.exec(rejectTime)
  const date = settlementDate ?? message.groupHeader.createdAt.slice(0, 10)
  const at = time ? Date.parse(`${date}T${time[1]}${time[3] ?? 'Z'}`) : Number.NaN
  if (Number.isNaN(at)) {
    throw new PaymentMessageRefusedError({ refusal: 'schema', path: PACS008_PATHS.rejectTime, reason: `"${rejectTime}" on ${date} is not a moment Junction can read (hh:mm:ss with an optional fraction and offset)` })
  }
  return { deadline: BigInt(Math.floor(at / 1000)), source: 'rejectTime' }
}
