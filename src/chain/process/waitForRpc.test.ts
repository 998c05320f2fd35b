import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RpcUnreachableError } from '../../errors/process.js'
import { createAnvil } from './AnvilProcess.js'
import { isPortFree } from './isPortFree.js'
import { waitForRpc } from './waitForRpc.js'

test('returns the chain id once the node answers', async () => {
  const anvil = createAnvil({ chainId: 6001, port: 0 })
  await anvil.start()
  try {
    assert.equal(await waitForRpc(anvil.rpcUrl, { timeoutMs: 2_000 }), 6001)
  } finally {
    await anvil.stop()
  }
})

test('throws RpcUnreachableError naming the URL when nothing listens', async () => {
  const probe = createAnvil({ chainId: 6002, port: 0 })
  await probe.start()
  const url = probe.rpcUrl
  await probe.stop()
  assert.equal(await isPortFree(probe.port, '127.0.0.1'), true)
  await assert.rejects(waitForRpc(url, { timeoutMs: 300 }), (error: unknown) => {
    assert.ok(error instanceof RpcUnreachableError)
    assert.equal(error.url, url)
    assert.ok(error.cause !== undefined, 'keeps the last failure as cause')
    return true
  })
})
