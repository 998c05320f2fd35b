import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { secp256k1 } from '@noble/curves/secp256k1'
import { bytesToHex, fromRlp, keccak256, parseTransaction, recoverTransactionAddress, serializeTransaction, toRlp, type Hex, type TransactionSerializable } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { decodeRawTransaction, signedBy } from './signedTransaction.js'

const CHAIN_ID = 4_711
const keyArbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => {
  const k = BigInt(bytesToHex(b))
  return k > 0n && k < secp256k1.CURVE.n
}).map((b) => bytesToHex(b))
const addressArbitrary = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => bytesToHex(b))
const txArbitrary = fc.record({
  type: fc.constantFrom('legacy', 'eip2930', 'eip1559'),
  nonce: fc.nat({ max: 1_000_000 }),
  to: fc.option(addressArbitrary, { nil: undefined }),
  value: fc.bigInt({ min: 0n, max: 10n ** 24n }),
  data: fc.uint8Array({ maxLength: 100 }).map((b) => bytesToHex(b)),
  gas: fc.bigInt({ min: 21_000n, max: 30_000_000n }),
  fee: fc.bigInt({ min: 0n, max: 10n ** 12n }),
})

function build(tx: typeof txArbitrary extends fc.Arbitrary<infer T> ? T : never): TransactionSerializable {
  const common = { chainId: CHAIN_ID, nonce: tx.nonce, to: tx.to, value: tx.value, data: tx.data as Hex, gas: tx.gas }
  if (tx.type === 'legacy') return { ...common, type: 'legacy', gasPrice: tx.fee }
  if (tx.type === 'eip2930') return { ...common, type: 'eip2930', gasPrice: tx.fee, accessList: [] }
  return { ...common, type: 'eip1559', maxFeePerGas: tx.fee, maxPriorityFeePerGas: tx.fee / 2n }
}

describe('decodeRawTransaction', () => {
  test('finds the sender viem recovers, with the signer\'s key known, unknown, or another wallet\'s (property, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(keyArbitrary, keyArbitrary, txArbitrary, async (key, otherKey, tx) => {
        const account = privateKeyToAccount(key)
        const other = privateKeyToAccount(otherKey)
        const raw = await account.signTransaction(build(tx))
        const expected = await recoverTransactionAddress({ serializedTransaction: raw as never })
        assert.equal(expected, account.address)
        for (const signer of [{ address: account.address, publicKey: account.publicKey }, undefined, { address: other.address, publicKey: other.publicKey }]) {
          const decoded = decodeRawTransaction(raw, { chainId: CHAIN_ID, signer })
          assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason)
          assert.equal(decoded.transaction.from, expected)
          assert.equal(decoded.transaction.raw, raw)
          assert.equal(decoded.transaction.to?.toLowerCase(), tx.to?.toLowerCase())
          assert.equal(decoded.transaction.data, tx.data === '0x' ? '0x' : tx.data)
        }
      }),
      { seed: 14_014, numRuns: 40 },
    )
  })

  test('refuses another chain\'s transaction, naming both chains', async () => {
    const account = privateKeyToAccount(keccak256('0x01'))
    const raw = await account.signTransaction({ type: 'eip1559', chainId: 1, nonce: 0, to: account.address, gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })
    assert.deepEqual(decodeRawTransaction(raw, { chainId: CHAIN_ID }), { ok: false, reason: `the transaction is for chain 1, this is chain ${CHAIN_ID}` })
  })

  test('refuses a legacy transaction without a chain id (EIP-155), replayable from any chain', async () => {
    const account = privateKeyToAccount(keccak256('0x02'))
    const raw = await account.signTransaction({ type: 'legacy', nonce: 0, to: account.address, gas: 21_000n, gasPrice: 1n })
    const decoded = decodeRawTransaction(raw, { chainId: CHAIN_ID })
    assert.equal(decoded.ok, false)
    assert.match((decoded as { reason: string }).reason, /EIP-155/)
  })

  test('refuses set-code (EIP-7702) transactions', async () => {
    const account = privateKeyToAccount(keccak256('0x03'))
    const authorization = await account.signAuthorization({ chainId: CHAIN_ID, nonce: 1, address: account.address })
    const raw = await account.signTransaction({ type: 'eip7702', chainId: CHAIN_ID, nonce: 0, to: account.address, gas: 100_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, authorizationList: [authorization] })
    const decoded = decodeRawTransaction(raw, { chainId: CHAIN_ID })
    assert.equal(decoded.ok, false)
    assert.match((decoded as { reason: string }).reason, /eip7702 transactions are refused/)
  })

  test('refuses an unsigned transaction, bytes that are no transaction, and a non-canonical encoding', async () => {
    const unsigned = serializeTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: 0, to: '0x0000000000000000000000000000000000000001', gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })
    assert.deepEqual(decodeRawTransaction(unsigned, { chainId: CHAIN_ID }), { ok: false, reason: 'the transaction is not signed' })
    assert.equal(decodeRawTransaction('0x1234', { chainId: CHAIN_ID }).ok, false)
    assert.equal(decodeRawTransaction('not hex' as Hex, { chainId: CHAIN_ID }).ok, false)

    const account = privateKeyToAccount(keccak256('0x04'))
    const raw = await account.signTransaction({ type: 'eip1559', chainId: CHAIN_ID, nonce: 0, to: account.address, gas: 21_000n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })
    const fields = fromRlp(`0x${raw.slice(4)}`, 'hex') as Hex[]
    fields[1] = '0x00' // nonce 0 written as one zero byte instead of the empty string
    const padded = `0x02${toRlp(fields).slice(2)}` as Hex
    assert.equal(parseTransaction(padded).nonce, 0, 'viem reads it as nonce 0')
    assert.deepEqual(decodeRawTransaction(padded, { chainId: CHAIN_ID }), { ok: false, reason: 'the transaction is not canonically encoded (RLP): re-encode it' })
  })
})

describe('signedBy', () => {
  test('agrees with recovery: true for the signer, false once r, s or the parity changes (property, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(keyArbitrary, fc.uint8Array({ minLength: 32, maxLength: 32 }), async (key, digest) => {
        const account = privateKeyToAccount(key)
        const hash = bytesToHex(digest)
        const signature = secp256k1.sign(digest, BigInt(key))
        assert.equal(signedBy(hash, signature.r, signature.s, signature.recovery!, account.publicKey), true)
        for (const [r, s, y] of [
          [signature.r, signature.s, 1 - signature.recovery!],
          [signature.r, secp256k1.CURVE.n - signature.s, signature.recovery!],
          [signature.r + 1n, signature.s, signature.recovery!],
          [signature.r, signature.s + 1n, signature.recovery!],
        ] as [bigint, bigint, number][]) {
          let recovered: Hex | undefined
          try {
            recovered = bytesToHex(new secp256k1.Signature(r, s).addRecoveryBit(y).recoverPublicKey(digest).toRawBytes(false))
          } catch {
            recovered = undefined // no point with that x: nobody signed it
          }
          assert.equal(signedBy(hash, r, s, y, account.publicKey), recovered === account.publicKey, `r ${r} s ${s} parity ${y}`)
        }
      }),
      { seed: 14_015, numRuns: 30 },
    )
  })

  test('is false for r or s out of range and a parity other than 0 or 1', () => {
    const account = privateKeyToAccount(keccak256('0x05'))
    const hash = keccak256('0x06')
    for (const [r, s, y] of [[0n, 1n, 0], [1n, 0n, 0], [secp256k1.CURVE.n, 1n, 0], [1n, secp256k1.CURVE.n, 0], [1n, 1n, 2]] as [bigint, bigint, number][]) {
      assert.equal(signedBy(hash, r, s, y, account.publicKey), false)
    }
  })
})
