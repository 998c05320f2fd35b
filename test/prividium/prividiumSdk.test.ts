// ZKsync's own client, the `prividium` npm SDK (0.18.1, SIWE mode), unchanged against Junction's
// permissioned RPC: sign-in, reads and sends through its transport, the profile, refusals as the SDK
// reports them, and its own new sign-in when the session expires.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createPrividiumClient, createPrividiumSiweChain, FORBIDDEN_ERROR_CODE } from 'prividium/siwe'
import { createWalletClient, erc20Abi, parseEther } from 'viem'
import { readAuditLog } from '../../src/prividium/proxyStore.js'
import { startPrivateChain, type PrivateChain } from './support/privateChain.js'

let chain: PrivateChain
before(async () => {
  chain = await startPrivateChain({ chainId: 48_101 })
})
after(async () => {
  await chain?.stop()
})

/** What the SDK is given: the chain (no RPC URL: the SDK makes it `<api>/rpc`), the API origin, the SIWE domain. */
function sdkFor(account: PrivateChain['members']['a']['account']) {
  return createPrividiumSiweChain({
    account,
    chain: { id: chain.chainId, name: 'bank-a', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, blockTime: 200 },
    prividiumApiBaseUrl: chain.proxy.url,
    domain: '127.0.0.1',
  })
}

describe('the prividium SDK against the permissioned RPC', () => {
  test('signs in with authorize(), reads its own balances through prividium.transport and fetches its profile', async () => {
    const account = chain.members.a.account
    const prividium = sdkFor(account)
    const token = await prividium.authorize()
    assert.ok(token.expiresAt.getTime() > Date.now(), 'the session expires in the future')
    assert.equal(prividium.isAuthorized(), true)

    const client = createPrividiumClient({ chain: prividium.chain, transport: prividium.transport, account })
    assert.equal(await client.getChainId(), chain.chainId)
    assert.equal(await client.getBalance({ address: account.address }), await chain.node.getBalance({ address: account.address }))
    const tokens = await client.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] })
    assert.equal(tokens, await chain.node.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] }))
    assert.equal(await client.getBlockNumber({ cacheTime: 0 }), await chain.node.getBlockNumber({ cacheTime: 0 }))

    const user = await prividium.fetchUser()
    assert.equal(user.id, 'user-1')
    assert.deepEqual(user.roles.map((r) => r.roleName).sort(), ['deployer', 'member'])
    assert.deepEqual(user.wallets, [{ walletAddress: account.address }])
  })

  test('sends a token transfer through prividium.transport, mined on the chain, and reads its own Transfer logs', async () => {
    const account = chain.members.a.account
    const prividium = sdkFor(account)
    await prividium.authorize()
    const client = createPrividiumClient({ chain: prividium.chain, transport: prividium.transport, account })
    const wallet = createWalletClient({ chain: prividium.chain, transport: prividium.transport, account })
    const receiver = chain.members.c.account.address
    const before = await chain.node.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] })

    const hash = await wallet.writeContract({ address: chain.token, abi: erc20Abi, functionName: 'transfer', args: [receiver, parseEther('2')] })
    const receipt = await client.waitForTransactionReceipt({ hash })
    assert.equal(receipt.status, 'success')
    assert.equal(await chain.node.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [receiver] }), before + parseEther('2'), 'the transfer is on the chain')

    const logs = await client.getContractEvents({ address: chain.token, abi: erc20Abi, eventName: 'Transfer', fromBlock: 0n })
    assert.ok(logs.some((log) => log.transactionHash === hash), 'its own transfer is among the logs')
    assert.ok(logs.every((log) => log.args.from === account.address || log.args.to === account.address), 'and only logs from or to it')
  })

  test('reports a refused read with the SDK\'s FORBIDDEN_ERROR_CODE and sends nothing for it to the node', async () => {
    const account = chain.members.a.account
    const prividium = sdkFor(account)
    await prividium.authorize()
    const client = createPrividiumClient({ chain: prividium.chain, transport: prividium.transport, account })
    const sent = chain.relay.methods.length
    await assert.rejects(client.getBalance({ address: chain.members.b.account.address }), (error: unknown) => {
      assert.equal(findCode(error), FORBIDDEN_ERROR_CODE)
      return true
    })
    await assert.rejects(client.readContract({ address: chain.token, abi: erc20Abi, functionName: 'balanceOf', args: [chain.members.b.account.address] }), (error: unknown) => findCode(error) === FORBIDDEN_ERROR_CODE)
    assert.deepEqual(chain.relay.methods.slice(sent), [], 'no request reached the node')
  })

  test('signs in again by itself when the server says the session expired (-32090), and the read succeeds', async () => {
    const account = chain.members.b.account
    const prividium = sdkFor(account)
    await prividium.authorize()
    const client = createPrividiumClient({ chain: prividium.chain, transport: prividium.transport, account })
    assert.equal(await client.getBalance({ address: account.address }), await chain.node.getBalance({ address: account.address }))
    const logins = () => readAuditLog(chain.proxy.store.db, { method: 'auth:login', wallet: account.address, limit: 100 }).filter((e) => e.allowed).length
    chain.proxy.store.flush()
    const before = logins()
    chain.clock.offsetMs += 2 * 3_600_000 // past the session's hour on the server's clock
    try {
      assert.equal(await client.getBalance({ address: account.address }), await chain.node.getBalance({ address: account.address }))
    } finally {
      chain.clock.offsetMs -= 2 * 3_600_000
    }
    chain.proxy.store.flush()
    assert.equal(logins(), before + 1, 'one more sign-in, made by the SDK')
  })
})

function findCode(error: unknown): number | undefined {
  let current = error as { code?: unknown; cause?: unknown } | undefined
  while (current) {
    if (typeof current.code === 'number') return current.code
    current = current.cause as typeof current
  }
  return undefined
}
