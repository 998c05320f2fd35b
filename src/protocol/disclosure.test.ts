import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createMerkleProof, createMPT } from '@ethereumjs/mpt'
import { keccak_256 } from '@noble/hashes/sha3'
import fc from 'fast-check'
import { bytesToHex, getAddress, hexToBytes, numberToHex, toRlp, type Address, type Hex } from 'viem'
import { DisclosureProofInvalidError, type DisclosureStep } from '../errors/disclosure.js'
import { batchHash, emptyBatchCommitment, type BatchCommitment } from './batch.js'
import {
  balanceDisclosureToJson,
  balanceSlot,
  checkBalanceDisclosure,
  JUNCTION_TOKEN_BALANCES_SLOT,
  parseBalanceDisclosure,
  proofEndsInLeaf,
  type BalanceDisclosure,
} from './disclosure.js'

const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })
const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470' as Hex

const refusedAt = async (promise: Promise<unknown>, step: DisclosureStep) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DisclosureProofInvalidError, String(error))
    assert.equal(error.step, step, error.message)
    return true
  })

/** A token's state as tries: its storage (balance slots of `balances`) under an account in a state trie with `others` accounts. */
async function world(balances: readonly [Address, bigint][], others = 8) {
  const storage = await createMPT({ useKeyHashing: true })
  for (const [holder, value] of balances) await storage.put(hexToBytes(balanceSlot({ holder })), hexToBytes(toRlp(numberToHex(value))))
  const state = await createMPT({ useKeyHashing: true })
  const token = getAddress(`0x${'70'.repeat(20)}`)
  await state.put(hexToBytes(token), hexToBytes(toRlp(['0x01', '0x', bytesToHex(storage.root()), EMPTY_CODE_HASH])))
  for (let i = 0; i < others; i++) await state.put(hexToBytes(numberToHex(i + 1, { size: 20 })), hexToBytes(toRlp(['0x', numberToHex(i + 1), bytesToHex(storage.root()), EMPTY_CODE_HASH])))
  const commitment: BatchCommitment = emptyBatchCommitment({ batchNumber: 7n, previousBatchHash: `0x${'aa'.repeat(32)}`, lastBlock: 42n, stateRoot: bytesToHex(state.root()) })
  const disclose = async (holder: Address, value: bigint): Promise<BalanceDisclosure> => ({
    chainId: 271,
    settlementLayer: { chainId: 31337, chainRegistry: getAddress(`0x${'12'.repeat(20)}`), chainSettlement: getAddress(`0x${'34'.repeat(20)}`) },
    commitment,
    batchHash: batchHash(commitment),
    token,
    holder,
    balancesSlot: JUNCTION_TOKEN_BALANCES_SLOT,
    slot: balanceSlot({ holder }),
    value,
    accountProof: (await createMerkleProof(state, hexToBytes(token))).map((n) => bytesToHex(n)),
    storageProof: (await createMerkleProof(storage, hexToBytes(balanceSlot({ holder })))).map((n) => bytesToHex(n)),
  })
  return { disclose, commitment }
}

describe('balanceSlot', () => {
  test('is keccak256 of the holder left-padded to 32 bytes, then the mapping slot as a 32-byte word', () => {
    fc.assert(
      fc.property(address, uint256, (holder, slot) => {
        const preimage = new Uint8Array(64)
        preimage.set(hexToBytes(holder), 12)
        preimage.set(hexToBytes(numberToHex(slot, { size: 32 })), 32)
        assert.equal(balanceSlot({ holder, balancesSlot: slot }), bytesToHex(keccak_256(preimage)))
      }),
    )
    assert.equal(balanceSlot({ holder: getAddress(`0x${'01'.repeat(20)}`) }), balanceSlot({ holder: getAddress(`0x${'01'.repeat(20)}`), balancesSlot: 3n }))
  })
})

describe('checkBalanceDisclosure', () => {
  test('accepts a disclosure whose proofs lead from the state root to the balance, and names each step that fails', async () => {
    const alice = getAddress(`0x${'a1'.repeat(20)}`)
    const bob = getAddress(`0x${'b0'.repeat(20)}`)
    const { disclose } = await world([[alice, 1_000n], [bob, 5n]])
    const good = await disclose(alice, 1_000n)
    const { value, account } = await checkBalanceDisclosure(good, { settledBatchHash: good.batchHash })
    assert.equal(value, 1_000n)
    assert.equal(account.nonce, 1n)
    assert.equal(account.codeHash, EMPTY_CODE_HASH)
    await refusedAt(checkBalanceDisclosure({ ...good, value: 999n }, { settledBatchHash: good.batchHash }), 'value')
    await refusedAt(checkBalanceDisclosure(good, { settledBatchHash: `0x${'00'.repeat(31)}01` }), 'settlement')
    await refusedAt(checkBalanceDisclosure({ ...good, batchHash: `0x${'00'.repeat(31)}01` }, { settledBatchHash: good.batchHash }), 'commitment')
    await refusedAt(checkBalanceDisclosure({ ...good, holder: bob }, { settledBatchHash: good.batchHash }), 'slot')
    await refusedAt(checkBalanceDisclosure(good, { settledBatchHash: good.batchHash, balancesSlot: 0n }), 'slot')
    await refusedAt(checkBalanceDisclosure({ ...good, token: getAddress(`0x${'71'.repeat(20)}`) }, { settledBatchHash: good.batchHash }), 'accountProof')
    await refusedAt(checkBalanceDisclosure({ ...good, storageProof: (await disclose(bob, 5n)).storageProof }, { settledBatchHash: good.batchHash }), 'storageProof')
    await refusedAt(checkBalanceDisclosure({ ...good, accountProof: [] }, { settledBatchHash: good.batchHash }), 'accountProof')
  })

  test("proves a zero balance by exclusion, and tells when that proof would end in another holder's leaf", async () => {
    const alice = getAddress(`0x${'a1'.repeat(20)}`)
    const nobody = getAddress(`0x${'0b'.repeat(20)}`)
    // One holder: the only leaf is the root, and the proof that any other slot is empty shows it.
    const lonely = await world([[alice, 9n]])
    const shown = await lonely.disclose(nobody, 0n)
    assert.equal((await checkBalanceDisclosure(shown, { settledBatchHash: shown.batchHash })).value, 0n)
    assert.equal(proofEndsInLeaf(shown.storageProof), true)
    // Many holders: some empty slot's path stops at an empty branch child, and shows nobody.
    const crowd = Array.from({ length: 64 }, (_, i) => [getAddress(numberToHex(i + 1000, { size: 20 })), BigInt(i + 1)] as [Address, bigint])
    const busy = await world(crowd)
    let hidden: BalanceDisclosure | undefined
    for (let i = 0; hidden === undefined && i < 200; i++) {
      const candidate = await busy.disclose(getAddress(numberToHex(i + 5000, { size: 20 })), 0n)
      if (!proofEndsInLeaf(candidate.storageProof)) hidden = candidate
    }
    assert.ok(hidden, 'no empty slot ending at a branch among 200')
    assert.equal((await checkBalanceDisclosure(hidden, { settledBatchHash: hidden.batchHash })).value, 0n)
    // A present slot's own proof ends in its own leaf.
    assert.equal(proofEndsInLeaf((await busy.disclose(crowd[0]![0], 1n)).storageProof), true)
  })
})

describe('the JSON form', () => {
  const disclosureArb = fc.record({
    chainId: fc.integer({ min: 1, max: 2 ** 40 }),
    slChainId: fc.integer({ min: 1, max: 2 ** 40 }),
    addresses: fc.tuple(address, address, address, address),
    commitment: fc.record({ batchNumber: uint256, previousBatchHash: bytes32, firstBlock: uint256, lastBlock: uint256, stateRoot: bytes32, messageRoot: bytes32, messageCount: uint256, priorityRequestsCount: uint256, priorityRequestsHash: bytes32, importedRootsCount: uint256, importedRootsHash: bytes32, timestamp: uint256, dataHash: bytes32 }),
    balancesSlot: uint256,
    value: uint256,
    accountProof: fc.array(fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => bytesToHex(b)), { minLength: 1, maxLength: 12 }),
    storageProof: fc.array(fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => bytesToHex(b)), { minLength: 1, maxLength: 12 }),
  }).map(({ chainId, slChainId, addresses: [registry, settlement, token, holder], commitment, balancesSlot, value, accountProof, storageProof }): BalanceDisclosure => ({
    chainId,
    settlementLayer: { chainId: slChainId, chainRegistry: registry, chainSettlement: settlement },
    commitment: { ...commitment },
    batchHash: batchHash(commitment),
    token,
    holder,
    balancesSlot,
    slot: balanceSlot({ holder, balancesSlot }),
    value,
    accountProof,
    storageProof,
  }))

  test('reads back what it writes, through JSON text', () => {
    fc.assert(fc.property(disclosureArb, (disclosure) => assert.deepEqual(parseBalanceDisclosure(JSON.parse(JSON.stringify(balanceDisclosureToJson(disclosure)))), disclosure)), { numRuns: 200 })
  })

  test('refuses malformed disclosures at format, naming the field', async () => {
    const [sample] = fc.sample(disclosureArb, { numRuns: 1, seed: 14 })
    const good = balanceDisclosureToJson(sample!)
    const cases: [string, (j: Record<string, any>) => void, RegExp][] = [
      ['another format', (j) => (j.format = 'junction-balance-disclosure/2'), /format/],
      ['a number for a string', (j) => (j.value = 5), /value is not a decimal integer string/],
      ['a leading zero', (j) => (j.commitment.timestamp = '01'), /commitment.timestamp/],
      ['an integer over 2^256', (j) => (j.balancesSlot = (1n << 256n).toString()), /balancesSlot is over/],
      ['a bad address', (j) => (j.holder = '0x1234'), /holder is not an address/],
      ['a short root', (j) => (j.commitment.stateRoot = '0x12'), /commitment.stateRoot is not 32 bytes/],
      ['no proof nodes', (j) => (j.storageProof = []), /storageProof is not a list/],
      ['a node that is not hex', (j) => (j.accountProof = ['0xzz']), /accountProof\[0\] is not hex/],
      ['no settlement layer', (j) => delete j.settlementLayer, /settlementLayer is not an object/],
      ['a chain id of zero', (j) => (j.chainId = 0), /chainId is not a chain id/],
    ]
    for (const [what, mutate, reason] of cases) {
      const copy = structuredClone(good) as Record<string, any>
      mutate(copy)
      assert.throws(() => parseBalanceDisclosure(copy), (error: unknown) => error instanceof DisclosureProofInvalidError && error.step === 'format' && reason.test(error.reason), what)
    }
    assert.throws(() => parseBalanceDisclosure('{}'), (error: unknown) => error instanceof DisclosureProofInvalidError && error.step === 'format')
    const otherBatch = structuredClone(good)
    otherBatch.batch.number = good.batch.number === '0' ? '1' : '0'
    assert.throws(() => parseBalanceDisclosure(otherBatch), (error: unknown) => error instanceof DisclosureProofInvalidError && error.step === 'commitment')
  })
})
