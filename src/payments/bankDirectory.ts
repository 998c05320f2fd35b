import type { Address } from 'viem'

/** One bank of the directory: where its ledger lives and which accounts it holds. */
export type DirectoryBank = {
  /** The bank's BIC (8 or 11 characters), as agents name it in messages. */
  bic: string
  name: string
  /**
   * The chain of the bank's ledger, by name or chain id in the network's manifest. Public test chains
   * (`alpha`, `beta`) for now; the bank's private chain (`bank-a`, `bank-b`) once private chains exist.
   */
  chain: string | number
  /** The bank's PaymentBank contract on that chain for each currency it pays in (e.g. `{ EUR: '0x…' }`). */
  contracts: Record<string, Address>
  /** Customer accounts (IBAN or other identifier, as in `DbtrAcct/Id` / `CdtrAcct/Id`) → the holder's address on the bank's chain. */
  accounts: Record<string, Address>
}

/**
 * The banks a Junction payment service knows, and the currencies their tokens carry. A message naming a
 * BIC, account or currency absent from it is refused before anything is sent ({@link checkPayment}).
 */
export type BankDirectory = {
  /** Currencies with a token, and the token's decimals (the deposit tokens and the cash token of a currency share them). */
  currencies: Record<string, { decimals: number }>
  banks: DirectoryBank[]
}
