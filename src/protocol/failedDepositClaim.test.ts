import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { bytesToHex, getAddress, hashTypedData, recoverTypedDataAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { failedDepositClaimDigest, failedDepositClaimTypedData } from './index.js'

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bytesToHex(b))
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(bytesToHex(b)))
const claim = fc.record({
  l1ChainId: fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }),
  l1AssetRouter: address,
  chainId: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
  requestHash: bytes32,
  to: address,
})

describe('failed-deposit claims paid elsewhere (protocol §9.8)', () => {
  test('the digest is the EIP-712 hash of the typed data a wallet signs', () => {
    fc.assert(fc.property(claim, (c) => assert.equal(failedDepositClaimDigest(c), hashTypedData(failedDepositClaimTypedData(c)))), { seed: 917, numRuns: 300 })
  })

  test('a signature of the typed data recovers to the depositor, and names one claim only', async () => {
    const depositor = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
    const parameters = { l1ChainId: 31337, l1AssetRouter: getAddress('0x0000000000000000000000000000000000001001'), chainId: 271, requestHash: `0x${'ab'.repeat(32)}` as const, to: getAddress('0x00000000000000000000000000000000000000aa') }
    const signature = await depositor.signTypedData(failedDepositClaimTypedData(parameters))
    assert.equal(await recoverTypedDataAddress({ ...failedDepositClaimTypedData(parameters), signature }), depositor.address)
    for (const other of [{ to: getAddress('0x00000000000000000000000000000000000000bb') }, { chainId: 272 }, { l1ChainId: 1 }, { requestHash: `0x${'cd'.repeat(32)}` as const }]) {
      assert.notEqual(failedDepositClaimDigest({ ...parameters, ...other }), failedDepositClaimDigest(parameters))
    }
  })
})
