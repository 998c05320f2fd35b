import { hexToString, type Address, type BlockNumber, type Chain, type Client, type Hex, type Transport } from 'viem'
import { getContractEvents } from 'viem/actions'
import * as c from '../../contracts/generated/index.js'
import { uetrToBytes16 } from '../../payments/checkPayment.js'

/** Parameters of {@link getIsoPaymentMessage}. */
export type GetIsoPaymentMessageParameters = {
  /** The creditor bank's PaymentBank on the client's chain. */
  paymentBank: Address
  /** The payment's UETR (a UUID v4). */
  uetr: string
  /** The first block to search (default: the chain's first). */
  fromBlock?: BlockNumber | undefined
}

/** The pacs.008 a creditor bank's PaymentBank was delivered with a payment's bundle. */
export type IsoPaymentMessage = {
  /** The message's XML, decoded from its UTF-8 bytes. */
  xml: string
  /** keccak256 of its bytes, computed by the creditor bank's PaymentBank. */
  messageHash: Hex
  /** Where it was emitted: the block and transaction that executed the payment's bundle. */
  blockNumber: bigint
  transactionHash: Hex
}

/** What {@link getIsoPaymentMessage} resolves with: the message, or undefined while none arrived under the UETR. */
export type GetIsoPaymentMessageReturnType = IsoPaymentMessage | undefined

/**
 * Reads back the pacs.008 XML that travelled with a payment's bundle, from the creditor bank's chain (the
 * client's): its PaymentBank emitted it (`PaymentMessageReceived`) when it executed the payment, accepted or
 * rejected; a duplicate UETR's second message is not emitted. On a private chain, only a client the chain's
 * permissioned RPC lets read the bank's logs (the bank's own services) gets it.
 *
 * @example
 * ```ts
 * const message = await getIsoPaymentMessage(bankBClient, { paymentBank, uetr: 'eb6305c9-1f7f-49de-aed0-16487c27b42d' })
 * message?.xml // '<?xml version="1.0" encoding="UTF-8"?>…'
 * ```
 */
export async function getIsoPaymentMessage<chain extends Chain | undefined>(client: Client<Transport, chain>, parameters: GetIsoPaymentMessageParameters): Promise<GetIsoPaymentMessageReturnType> {
  const [event] = await getContractEvents(client, {
    address: parameters.paymentBank,
    abi: c.paymentBankAbi,
    eventName: 'PaymentMessageReceived',
    args: { uetr: uetrToBytes16(parameters.uetr) },
    fromBlock: parameters.fromBlock ?? 0n,
    toBlock: 'latest',
    strict: true,
  })
  if (!event) return undefined
  return { xml: hexToString(event.args.message), messageHash: event.args.messageHash, blockNumber: event.blockNumber, transactionHash: event.transactionHash }
}
