import type { Address, Chain, Client, Hex, Transport } from 'viem'
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
  bundleHash: Hex
}

/** What {@link getIsoPayment} resolves with: the record under the UETR, each side undefined when absent. */
export type GetIsoPaymentReturnType = { sent: IsoPaymentRecord | undefined; received: IsoPaymentRecord | undefined }

/**
 * Reads what a bank's PaymentBank recorded under a UETR: the payment it sent (on the debtor bank's chain)
 * and the payment it received (on the creditor bank's chain).
 *
 * @example
 * ```ts
 * const { received } = await getIsoPayment(bankBClient, { paymentBank, uetr: 'eb6305c9-1f7f-49de-aed0-16487c27b42d' })
 * received?.amount // 123450n
 * ```
 */
export async function getIsoPayment<chain extends Chain | undefined>(client: Client<Transport, chain>, parameters: GetIsoPaymentParameters): Promise<GetIsoPaymentReturnType> {
  const read = async (functionName: 'sent' | 'received'): Promise<IsoPaymentRecord | undefined> => {
    const [messageHash, customer, amount, counterpartyChainId, bundleHash] = (await readContract(client, {
      address: parameters.paymentBank,
      abi: c.paymentBankAbi,
      functionName,
      args: [uetrToBytes16(parameters.uetr)],
    })) as readonly [Hex, Address, bigint, bigint, Hex]
    return amount === 0n ? undefined : { messageHash, customer, amount, counterpartyChainId, bundleHash }
  }
  const [sent, received] = await Promise.all([read('sent'), read('received')])
  return { sent, received }
}
