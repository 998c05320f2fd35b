import type { Address, Hex } from 'viem'
import { PaymentMessageRefusedError } from '../errors/payments.js'
import { amountToUnits } from './amounts.js'
import type { BankDirectory, DirectoryBank } from './bankDirectory.js'
import { PACS008_PATHS, type Pacs008Agent, type Pacs008Message, type Pacs008Party } from './parsePacs008.js'

/** A message checked against the bank directory: everything the chain needs to pay it. */
export type PaymentInstruction = {
  message: Pacs008Message
  /** The UETR as 16 bytes (the UUID's hex digits): the on-chain idempotency key. */
  uetr: Hex
  /** keccak256 of the message's bytes, recorded on both chains. */
  messageHash: Hex
  currency: string
  decimals: number
  /** The interbank settlement amount in token units. */
  units: bigint
  debtorBank: DirectoryBank
  creditorBank: DirectoryBank
  /** The banks' PaymentBank contracts for the currency. */
  debtorContract: Address
  creditorContract: Address
  /** The debtor's and creditor's addresses on their banks' chains. */
  debtor: Address
  creditor: Address
}

/** The UETR (a UUID) as the 16 bytes of its hex digits. */
export function uetrToBytes16(uetr: string): Hex {
  return `0x${uetr.toLowerCase().replace(/-/g, '')}` as Hex
}

/**
 * Checks a parsed pacs.008 against the bank directory and resolves it to chain terms, in this order: the
 * debtor agent's and creditor agent's BICs are banks of the directory (`unknownBic`), a token maps to the
 * currency at the directory and at both banks (`currency`), the amount is positive and has no more
 * decimals than the token (`precision`, `amount`), the debtor's and creditor's accounts are accounts of
 * their banks (`unknownAccount`). Pure: the on-chain checks (balance, UETR not paid yet) come when sending.
 * Throws {@link PaymentMessageRefusedError} with the path of the offending element.
 *
 * @example
 * ```ts
 * const instruction = checkPayment(parsePacs008(xml), directory)
 * instruction.units // 123450n for 1234.50 EUR with 2 decimals
 * ```
 */
export function checkPayment(message: Pacs008Message, directory: BankDirectory): PaymentInstruction {
  const { transaction } = message
  const bank = (agent: Pacs008Agent) => {
    const found = directory.banks.find((b) => b.bic === agent.bic || (b.bic.length === 8 && agent.bic === `${b.bic}XXX`) || (agent.bic.length === 8 && b.bic === `${agent.bic}XXX`))
    if (!found) throw new PaymentMessageRefusedError({ refusal: 'unknownBic', path: agent.path, reason: `no bank with BIC ${agent.bic} in the directory (known: ${directory.banks.map((b) => b.bic).join(', ') || 'none'})` })
    return found
  }
  const debtorBank = bank(transaction.debtorAgent)
  const creditorBank = bank(transaction.creditorAgent)

  const { currency } = transaction.amount
  const token = directory.currencies[currency]
  if (!token) throw new PaymentMessageRefusedError({ refusal: 'currency', path: PACS008_PATHS.currency, reason: `no token maps to ${currency} (currencies: ${Object.keys(directory.currencies).join(', ') || 'none'})` })
  const contract = (b: DirectoryBank) => {
    const address = b.contracts[currency]
    if (!address) throw new PaymentMessageRefusedError({ refusal: 'currency', path: PACS008_PATHS.currency, reason: `${b.name} (${b.bic}) has no ${currency} deposit token` })
    return address
  }
  const debtorContract = contract(debtorBank)
  const creditorContract = contract(creditorBank)
  const units = amountToUnits(transaction.amount.value, token.decimals, PACS008_PATHS.amount)

  const account = (b: DirectoryBank, party: Pacs008Party, role: string) => {
    const address = b.accounts[party.account]
    if (!address) throw new PaymentMessageRefusedError({ refusal: 'unknownAccount', path: party.accountPath, reason: `${b.name} (${b.bic}) holds no account ${party.account} (the ${role})` })
    return address
  }
  return {
    message,
    uetr: uetrToBytes16(transaction.uetr),
    messageHash: message.hash,
    currency,
    decimals: token.decimals,
    units,
    debtorBank,
    creditorBank,
    debtorContract,
    creditorContract,
    debtor: account(debtorBank, transaction.debtor, 'debtor'),
    creditor: account(creditorBank, transaction.creditor, 'creditor'),
  }
}
