// The ISO 20022 payment between the banks' private chains (docs/payments.md, docs/prividium.md): on a network
// with bank-a and bank-b, `junction demo payment` runs between them by default (the banks' payment services
// on their chains' nodes), bank B answers on chain (ACSC; RJCT AC03 with nothing moved), the pacs.008 XML
// that came with the (blinded) bundle is on bank-b for bank B's service, and the customers see their own
// deposits through their chain's permissioned RPC, and not the bank's payment records, its logs with the XML
// or another customer's balance.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, test } from 'node:test'
import { createPublicClient, erc20Abi, http, keccak256, stringToBytes, type Address, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import * as c from '../../src/contracts/generated/index.js'
import { readPaymentBalances, type PaymentDemoSetup } from '../../src/demo/paymentDemo.js'
import { uetrToBytes16 } from '../../src/payments/checkPayment.js'
import { getIsoPaymentMessage } from '../../src/sdk/actions/getIsoPaymentMessage.js'
import { signInWithEthereum } from '../../src/prividium/PrividiumApiClient.js'
import { fromStoredJson } from '../../src/store/storedJson.js'
import { runJunction } from '../support/junctionProcess.js'
import { chainNamed, startTestNetwork } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
const EXAMPLE_UETR = 'eb6305c9-1f7f-49de-aed0-16487c27b42d'

before(async () => {
  network = await startTestNetwork({ chains: 1, onGateway: ['alpha'], privateChains: 2 })
})
after(async () => {
  await network?.close()
})

/** A client of `chain`'s permissioned RPC signed in as the dev user at `index`. */
async function throughProxy(chainName: string, userIndex: number): Promise<PublicClient> {
  const chain = chainNamed(network, chainName)
  const account = privateKeyToAccount(network.manifest.accounts.users[userIndex]!.privateKey)
  const { token } = await signInWithEthereum({ apiBaseUrl: chain.apiBaseUrl!, account })
  return createPublicClient({ transport: http(chain.rpcUrl, { fetchOptions: { headers: { Authorization: `Bearer ${token}` } } }) }) as PublicClient
}

test('`junction demo payment` pays between bank-a and bank-b by default; `payment send` of the rejected example answers RJCT AC03 and nothing moves; customers see only their own deposits', async () => {
  const dataDir = ['--data-dir', network.dataDir]
  const demo = await runJunction(['demo', 'payment', ...dataDir], 120_000)
  assert.equal(demo.code, 0, `exit code 0\nstdout:\n${demo.stdout}\nstderr:\n${demo.stderr}`)
  console.log(`junction demo payment (private chains):\n${demo.stdout}`)
  assert.match(demo.stdout, /^Alice \(Bank A, bank-a\): 10000\.00 EUR → 8765\.50 EUR; Bob \(Bank B, bank-b\): 0\.00 EUR → 1234\.50 EUR$/m)
  assert.match(demo.stdout, /<TxSts>ACSC<\/TxSts>/)

  const setup = fromStoredJson<PaymentDemoSetup>(readFileSync(join(network.dataDir, 'payment.json'), 'utf8'))
  assert.deepEqual([setup.a.chain.name, setup.b.chain.name], ['bank-a', 'bank-b'])
  const before = await readPaymentBalances(setup) // the setup holds the raw nodes: the CLI plays the banks' services

  const rejected = await runJunction(['payment', 'send', fileURLToPath(new URL('../../examples/payments/pacs008-rejected.xml', import.meta.url)), ...dataDir], 120_000)
  assert.equal(rejected.code, 3, `exit code 3 (RJCT)\nstdout:\n${rejected.stdout}\nstderr:\n${rejected.stderr}`)
  assert.match(rejected.stdout, /<TxSts>RJCT<\/TxSts>\s*<StsRsnInf>\s*<Rsn>\s*<Cd>AC03<\/Cd>/)
  assert.match(rejected.stdout, /^Alice \(Bank A, bank-a\): 8765\.50 EUR → 8765\.50 EUR; Bob \(Bank B, bank-b\): 1234\.50 EUR → 1234\.50 EUR$/m)
  assert.match(rejected.stdout, /^cash: Bank A 998765\.50 EUR → 998765\.50 EUR; Bank B 1001234\.50 EUR → 1001234\.50 EUR$/m, 'both banks\' cash back where it was')
  assert.deepEqual(await readPaymentBalances(setup), before, 'read on the chains: nothing moved')

  // Through the permissioned RPCs: Alice (user 2) on bank-a, Bob (user 3) on bank-b.
  const alice = await throughProxy('bank-a', 2)
  const bob = await throughProxy('bank-b', 3)
  const balanceOf = (client: PublicClient, token: Address, holder: Address, from: Address) => client.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [holder], account: from })
  assert.equal(await balanceOf(alice, setup.a.depositToken, setup.a.customer, setup.a.customer), 876_550n, 'Alice reads her own aEUR')
  assert.equal(await balanceOf(bob, setup.b.depositToken, setup.b.customer, setup.b.customer), 123_450n, 'Bob reads his own bEUR')
  await assert.rejects(balanceOf(alice, setup.a.depositToken, setup.a.operator.address, setup.a.customer), /-32001|forbidden|not allowed/i, 'not another holder\'s')
  await assert.rejects(
    alice.readContract({ address: setup.a.paymentBank, abi: c.paymentBankAbi, functionName: 'sent', args: [uetrToBytes16(EXAMPLE_UETR)], account: setup.a.customer }),
    /-32001|forbidden|not allowed/i,
    'the bank\'s payment records are not readable by its customers',
  )

  // The XML travelled with the bundle: bank B's service reads it on bank-b's node; Bob cannot read the bank's logs.
  const example = readFileSync(new URL('../../examples/payments/pacs008.xml', import.meta.url), 'utf8')
  const bankB = createPublicClient({ transport: http(setup.b.chain.rpcUrl) })
  const delivered = await getIsoPaymentMessage(bankB, { paymentBank: setup.b.paymentBank, uetr: EXAMPLE_UETR })
  assert.equal(delivered?.xml, example)
  assert.equal(delivered?.messageHash, keccak256(stringToBytes(example)))
  await assert.rejects(getIsoPaymentMessage(bob, { paymentBank: setup.b.paymentBank, uetr: EXAMPLE_UETR }), /-32001|forbidden|not allowed/i, 'not by its customers')
})
