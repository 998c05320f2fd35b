import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, keccak256, recoverTransactionAddress, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { keccak256Hex } from '../protocol/keccak.js'
import { signTransaction } from './signTransaction.js'

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0) && b[0]! < 0xff).map((b) => bytesToHex(b))
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => bytesToHex(b))

describe('signTransaction', () => {
  test('signs the same bytes as viem, for any key, target, calldata and fees', async () => {
    await fc.assert(
      fc.asyncProperty(
        key,
        fc.option(address, { nil: null }),
        fc.uint8Array({ maxLength: 3_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 21_000n, max: 30_000_000n }),
        fc.nat({ max: 2 ** 32 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        async (privateKey, to, data, value, gas, nonce, fee) => {
          const transaction = { type: 'eip1559', chainId: 271, to, data: bytesToHex(data), value, gas, nonce, maxFeePerGas: fee, maxPriorityFeePerGas: fee / 2n } as const
          const { raw, hash } = await signTransaction({ privateKey: privateKey as Hex, transaction })
          assert.equal(raw, await privateKeyToAccount(privateKey as Hex).signTransaction(transaction))
          assert.equal(hash, keccak256(raw))
          assert.equal(keccak256Hex(raw), hash)
        },
      ),
      { numRuns: 150 },
    )
  })

  test('a large executeBundles-sized transaction: the same bytes as viem, and it recovers to its signer', async () => {
    const privateKey = `0x${'11'.repeat(32)}` as const
    const transaction = { type: 'eip1559', chainId: 272, to: `0x${'22'.repeat(20)}`, data: `0x${'ab'.repeat(200_000)}`, gas: 10_000_000n, nonce: 7, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } as const
    const { raw, hash } = await signTransaction({ privateKey, transaction })
    assert.equal(raw, await privateKeyToAccount(privateKey).signTransaction(transaction))
    assert.equal(hash, keccak256(raw))
    assert.equal(await recoverTransactionAddress({ serializedTransaction: raw as never }), privateKeyToAccount(privateKey).address)
  })

  test('refuses calldata that is not hex, and access lists', async () => {
    const privateKey = `0x${'11'.repeat(32)}` as const
    const base = { type: 'eip1559', chainId: 1, gas: 21_000n, nonce: 0, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } as const
    await assert.rejects(signTransaction({ privateKey, transaction: { ...base, data: '0xzz' as Hex } }), /data is not 0x-prefixed hex/)
    await assert.rejects(signTransaction({ privateKey, transaction: { ...base, data: '0x123' as Hex } }), /data is not 0x-prefixed hex/)
    await assert.rejects(signTransaction({ privateKey, transaction: { ...base, accessList: [{ address: `0x${'22'.repeat(20)}`, storageKeys: [] }] } }), /access lists/)
  })
})
