import type { Address, Hex, PublicClient } from 'viem'

/** An account whose state a forged call could change, on one chain. */
export type GuardedAccount = { chainId: number; label: string; address: Address }

/** What `eth_getProof` says of an account: its balance, nonce, code and storage (by their hashes). */
export type AccountState = { balance: bigint; nonce: bigint; codeHash: Hex; storageHash: Hex }

/** The states of guarded accounts, by `chainId:address`. */
export type StateSnapshot = Map<string, AccountState>

/** A guarded account whose state differs between two snapshots, and which fields changed. */
export type StateChange = { account: GuardedAccount; fields: string[]; before: AccountState | undefined; after: AccountState | undefined }

const keyOf = (account: Pick<GuardedAccount, 'chainId' | 'address'>) => `${account.chainId}:${account.address.toLowerCase()}`

/**
 * Reads the state of every guarded account with `eth_getProof` (any Ethereum node answers it): the
 * storage hash covers every slot of a contract, so two equal snapshots mean no storage, balance, nonce
 * or code of these accounts changed in between.
 *
 * @example
 * ```ts
 * const before = await snapshotAccounts(guarded, clients)
 * ```
 */
export async function snapshotAccounts(accounts: readonly GuardedAccount[], clients: ReadonlyMap<number, PublicClient>): Promise<StateSnapshot> {
  const snapshot: StateSnapshot = new Map()
  const unique = [...new Map(accounts.map((a) => [keyOf(a), a])).values()]
  for (let i = 0; i < unique.length; i += 8) {
    await Promise.all(
      unique.slice(i, i + 8).map(async (account) => {
        const client = clients.get(account.chainId)
        if (!client) throw new Error(`no client for chain ${account.chainId} (${account.label})`)
        const proof = await client.getProof({ address: account.address, storageKeys: [], blockTag: 'latest' })
        snapshot.set(keyOf(account), { balance: proof.balance, nonce: BigInt(proof.nonce), codeHash: proof.codeHash, storageHash: proof.storageHash })
      }),
    )
  }
  return snapshot
}

/** What an account's own transactions change of it: its nonce goes up by their count, its balance down by their fees. */
export type OwnTransactions = { chainId: number; address: Address; count: number; fees: bigint }

/**
 * The guarded accounts whose state differs between `before` and `after`, with the fields that changed.
 * For an account that sent transactions in between (`sent`), `before` is first moved by exactly its
 * nonces and fees: any other change of it (a value it received) still shows.
 *
 * @example
 * ```ts
 * const changes = compareSnapshots(guarded, before, after) // [] when nothing changed
 * ```
 */
export function compareSnapshots(accounts: readonly GuardedAccount[], before: StateSnapshot, after: StateSnapshot, sent: readonly OwnTransactions[] = []): StateChange[] {
  const changes: StateChange[] = []
  const own = new Map(sent.map((s) => [keyOf(s), s]))
  for (const account of new Map(accounts.map((a) => [keyOf(a), a])).values()) {
    const mine = own.get(keyOf(account))
    const recorded = before.get(keyOf(account))
    const a = recorded && mine ? { ...recorded, balance: recorded.balance - mine.fees, nonce: recorded.nonce + BigInt(mine.count) } : recorded
    const b = after.get(keyOf(account))
    const fields = !a || !b ? ['missing'] : (['balance', 'nonce', 'codeHash', 'storageHash'] as const).filter((f) => String(a[f]).toLowerCase() !== String(b[f]).toLowerCase())
    if (fields.length > 0) changes.push({ account, fields, before: a, after: b })
  }
  return changes
}
