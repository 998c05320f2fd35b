// Every wei on a ZK chain came over the bridge (docs/protocol.md §9.7): the chain's genesis allocates its
// whole ETH supply to the BaseTokenHolder, dev accounts get nothing there, gas is free, and the dev users
// hold only what they deposited from L1 when the network started. So ETH that never came over the bridge
// cannot leave over it and take a depositor's ETH with it (issue 17, review item 3: account B withdrew its
// genesis ETH from gamma, and account A's withdrawal then reverted UnbackedValue).
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { parseEther, type Address, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import { DEV_ACCOUNT_COUNT, DEV_USER_ETH_PER_ZK_CHAIN, devAccount } from '../../src/chain/devAccounts.js'
import { OPERATOR_ETH_PER_ZK_CHAIN } from '../../src/network/fundOperators.js'
import { ZK_CHAIN_ETH_SUPPLY } from '../../src/chain/zkChainNode.js'
import * as c from '../../src/contracts/generated/index.js'
import { depositETH, finalizeWithdrawal, JunctionIndex, ProofNotReadyError, waitForDeposit, withdrawETH } from '../../src/sdk/index.js'
import { eventually } from '../support/e2e.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>

before(async () => {
  // Alpha settles on the Gateway (its deposits pass through the Gateway's queue), beta and gamma on L1.
  network = await startTestNetwork({ chains: 3, onGateway: ['alpha'] })
})
after(async () => {
  await network?.close()
})

const devAccounts = Array.from({ length: DEV_ACCOUNT_COUNT }, (_, i) => devAccount(i))
const holderRead = (chain: ChainConnection, functionName: 'initialBalance' | 'bridgedBalance') =>
  chain.client.readContract({ address: network.manifest.l2Contracts.baseTokenHolder, abi: c.baseTokenHolderAbi, functionName }) as Promise<bigint>

test('on every ZK chain the holder and the dev accounts hold the genesis allocation, and the dev accounts hold only what was deposited to them', async () => {
  const users = new Set(network.manifest.accounts.users.map((user) => user.address))
  assert.equal(network.manifest.chains.length, 4, 'alpha, beta, gamma and the Gateway')
  for (const info of network.manifest.chains) {
    const chain = new ChainConnection(info)
    const [holderBalance, allocation, bridged] = [await chain.client.getBalance({ address: network.manifest.l2Contracts.baseTokenHolder }), await holderRead(chain, 'initialBalance'), await holderRead(chain, 'bridgedBalance')]
    const balances = await Promise.all(devAccounts.map((account) => chain.client.getBalance({ address: account.address })))
    devAccounts.forEach((account, i) => {
      assert.equal(balances[i], users.has(account.address) ? DEV_USER_ETH_PER_ZK_CHAIN : account.address === info.operator.address ? OPERATOR_ETH_PER_ZK_CHAIN : 0n, `${info.name}: dev account ${account.index} holds what was deposited to it`)
    })
    const held = balances.reduce((sum, balance) => sum + balance, 0n)
    assert.equal(allocation, ZK_CHAIN_ETH_SUPPLY, `${info.name}: the genesis allocated the chain's ETH supply to the holder`)
    assert.equal(holderBalance + held, allocation, `${info.name}: no wei outside the holder and the dev accounts`)
    assert.equal(bridged, held, `${info.name}: the holder counts as bridged in exactly what the dev accounts hold (nothing burned yet)`)
  }
})

test('on gamma an account that received nothing over the bridge cannot withdraw; a depositor withdraws its 5 ETH and finalizes it on L1', async () => {
  const { manifest } = network
  const gammaInfo = chainNamed(network, 'gamma')
  const gamma = new ChainConnection(gammaInfo)
  const l1 = new ChainConnection(manifest.l1)
  const amount = parseEther('5')
  // A: a new account, given 6 ETH on L1 (L1 plays Ethereum), deposits 5 ETH to itself on gamma.
  const aKey: Hex = generatePrivateKey()
  const a = privateKeyToAccount(aKey).address
  await l1.client.waitForTransactionReceipt({ hash: await walletFor(manifest.l1, manifest.accounts.users[0]!.privateKey).sendTransaction({ to: a, value: parseEther('6') }) })
  const { requestIndex } = await depositETH(walletFor(manifest.l1, aKey), { manifest, chainId: gammaInfo.chainId, amount })
  await waitForDeposit(gamma.client, { manifest, requestIndex, timeoutMs: 30_000 })
  assert.equal(await gamma.client.getBalance({ address: a }), amount)
  const bridged = await holderRead(gamma, 'bridgedBalance')

  // B: a dev account nobody deposited to. It holds nothing on gamma, so it cannot withdraw A's ETH.
  const b = devAccounts[DEV_ACCOUNT_COUNT - 1]!
  assert.ok(!manifest.accounts.users.some((user) => user.address === b.address), 'B is not one of the funded dev users')
  await assert.rejects(withdrawETH(walletFor(gammaInfo, b.privateKey), { manifest, amount }), /exceeds the balance|insufficient funds/i)
  assert.equal(await gamma.client.getBalance({ address: b.address }), 0n)
  assert.equal(await holderRead(gamma, 'bridgedBalance'), bridged, 'nothing left gamma over the bridge')

  // A withdraws all it deposited (gas is free on a ZK chain) and finalizes it on L1.
  const l1Receiver: Address = privateKeyToAccount(generatePrivateKey()).address
  const { transactionHash } = await withdrawETH(walletFor(gammaInfo, aKey), { manifest, amount, to: l1Receiver })
  assert.equal(await gamma.client.getBalance({ address: a }), 0n)
  assert.equal(await holderRead(gamma, 'bridgedBalance'), bridged - amount)
  const index = new JunctionIndex(manifest)
  await eventually('the withdrawal finalized on L1', async () => {
    try {
      return await finalizeWithdrawal(walletFor(manifest.l1, manifest.accounts.users[1]!.privateKey), index, { chainId: gammaInfo.chainId, transactionHash })
    } catch (error) {
      if (error instanceof ProofNotReadyError) return undefined
      throw error
    }
  }, { timeoutMs: 30_000 })
  assert.equal(await l1.client.getBalance({ address: l1Receiver }), amount)
})
