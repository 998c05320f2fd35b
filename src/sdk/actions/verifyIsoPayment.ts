import type { Chain, Client, Transport } from 'viem'
import { PaymentDeliveryMismatchError } from '../../errors/payments.js'
import type { NetworkManifest } from '../../network/types.js'
import type { BankDirectory } from '../../payments/bankDirectory.js'
import { checkPayment, type PaymentInstruction } from '../../payments/checkPayment.js'
import { parsePacs008 } from '../../payments/parsePacs008.js'
import { findChain } from '../loadManifest.js'
import { getIsoPayment, type IsoPaymentRecord } from './getIsoPayment.js'

/** Parameters of {@link verifyIsoPayment}. */
export type VerifyIsoPaymentParameters = {
  /** The pacs.008 the debtor bank handed over (`SendIsoPaymentReturnType.delivery.xml`). */
  xml: string
  /** The creditor bank's directory. */
  directory: BankDirectory
  manifest: NetworkManifest
}

/** What {@link verifyIsoPayment} resolves with. */
export type VerifyIsoPaymentReturnType = {
  instruction: PaymentInstruction
  /** What the creditor bank's PaymentBank recorded. */
  received: IsoPaymentRecord
}

/**
 * The creditor bank's check of a message handed to it off the public chains: the message is valid and
 * known to its directory, and its chain (the client's) recorded a payment received under its UETR with
 * the message's keccak256, its amount and its creditor. Throws {@link PaymentDeliveryMismatchError}
 * otherwise (also while the bundle has not executed yet).
 *
 * @example
 * ```ts
 * const { received } = await verifyIsoPayment(bankBClient, { xml: delivery.xml, directory, manifest })
 * ```
 */
export async function verifyIsoPayment<chain extends Chain | undefined>(client: Client<Transport, chain>, parameters: VerifyIsoPaymentParameters): Promise<VerifyIsoPaymentReturnType> {
  const instruction = checkPayment(parsePacs008(parameters.xml), parameters.directory)
  const { uetr } = instruction.message.transaction
  const creditorChain = findChain(parameters.manifest, instruction.creditorBank.chain)
  if (client.chain?.id !== undefined && client.chain.id !== creditorChain.chainId) {
    throw new PaymentDeliveryMismatchError({ uetr, reason: `the client is on chain ${client.chain.id}, the creditor bank on ${creditorChain.name} (${creditorChain.chainId})` })
  }
  const { received } = await getIsoPayment(client, { paymentBank: instruction.creditorContract, uetr })
  if (!received) throw new PaymentDeliveryMismatchError({ uetr, reason: `${creditorChain.name} recorded no payment received under this UETR (yet)` })
  if (received.messageHash !== instruction.messageHash) throw new PaymentDeliveryMismatchError({ uetr, reason: `the chain recorded message hash ${received.messageHash}, the message delivered hashes to ${instruction.messageHash}` })
  if (received.amount !== instruction.units) throw new PaymentDeliveryMismatchError({ uetr, reason: `the chain recorded ${received.amount} units, the message says ${instruction.units}` })
  if (received.customer.toLowerCase() !== instruction.creditor.toLowerCase()) throw new PaymentDeliveryMismatchError({ uetr, reason: `the chain credited ${received.customer}, the message's creditor is ${instruction.creditor}` })
  return { instruction, received }
}
