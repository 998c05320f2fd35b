import { hexToString, type Address, type Chain, type Client, type Hex, type Transport } from 'viem'
import { readContract } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import { uetrToBytes16 } from '../../payments/checkPayment.js'

/** Parameters of {@link getIsoPayment}. */
export type GetIsoPaymentParameters = {
  /** A bank's PaymentBank contract on the client's chain. */
  paymentBank: Address
  /** The payment's UETR (a UUID v4). */
  uetr: string
}

/** A payment's status on chain: `pending` (sent, no answer yet), `accepted` (ACSC) or `rejected` (RJCT, with a reason). */
export type IsoPaymentStatus = 'pending' | 'accepted' | 'rejected'

/** A payment as one PaymentBank recorded it. */
export type IsoPaymentRecord = {
  /** keccak256 of the pacs.008 message's bytes. */
  messageHash: Hex
  /** The debtor (sent) or creditor (received) on this chain. */
  customer: Address
  /** Token units. */
  amount: bigint
  /** The other bank's chain. */
  counterpartyChainId: bigint
  /** The bundle that carried the payment. */
  bundleHash: Hex
  status: IsoPaymentStatus
  /** The ISO 20022 reason code of a rejection (`AC03`, …); undefined otherwise. */
  reason: string | undefined
  /** The creditor bank's block time (seconds) when it decided; undefined while pending. */
  decidedAt: number | undefined
  /** The creditor bank's answer bundle (to the debtor bank's chain); undefined while pending. */
  answerBundleHash: Hex | undefined
  /** The payment's deadline (seconds since the epoch): delivered after it, the creditor bank answers `AB05`. */
  deadline: bigint
}

const STATUSES: Record<number, IsoPaymentStatus> = { 1: 'pending', 2: 'accepted', 3: 'rejected' }
const ZERO_HASH = `0x${'0'.repeat(64)}`

/** What {@link getIsoPayment} resolves with: the record under the UETR, each side undefined when absent. */
export type GetIsoPaymentReturnType = { sent: IsoPaymentRecord | undefined; received: IsoPaymentRecord | undefined }

/**
 * Reads what a bank's PaymentBank recorded under a UETR: the payment it sent (on the debtor bank's chain)
 * and the payment it received (on the creditor bank's chain), each with its status: on the debtor bank's
 * chain `pending` until the creditor bank's answer arrived, then `accepted` or `rejected` with its reason.
 *
 * @example
 * ```ts
 * const { received } = await getIsoPayment(bankBClient, { paymentBank, uetr: 'eb6305c9-1f7f-49de-aed0-16487c27b42d' })
 * received?.amount // 123450n
 * ```
 */
export async function getIsoPayment<chain extends Chain | undefined>(client: Client<Transport, chain>, parameters: GetIsoPaymentParameters): Promise<GetIsoPaymentReturnType> {
  const read = async (functionName: 'sent' | 'received'): Promise<IsoPaymentRecord | undefined> => {
    const [messageHash, customer, status, reason, decidedAt, amount, counterpartyChainId, bundleHash, answerBundleHash, deadline] = await readContract(client, {
      address: parameters.paymentBank,
      abi: c.paymentBankAbi,
      functionName,
      args: [uetrToBytes16(parameters.uetr)],
    })
    if (amount === 0n) return undefined
    return {
      messageHash,
      customer,
      amount,
      counterpartyChainId,
      bundleHash,
      status: STATUSES[status] ?? 'pending',
      reason: reason === '0x00000000' ? undefined : hexToString(reason),
      decidedAt: decidedAt === 0 ? undefined : decidedAt,
      answerBundleHash: answerBundleHash === ZERO_HASH ? undefined : answerBundleHash,
      deadline,
    }
  }
  const [sent, received] = await Promise.all([read('sent'), read('received')])
  return { sent, received }
}
