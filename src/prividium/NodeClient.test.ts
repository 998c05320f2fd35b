import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import { NodeClient, NodeUnavailableError } from './NodeClient.js'

/** A JSON-RPC server that records each HTTP body and answers `method` with the method's name, `fail` with an error, `drop` with nothing. */
let server: Server
let url: string
const bodies: unknown[] = []
before(async () => {
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (c) => (text += c))
    req.on('end', () => {
      const body = JSON.parse(text)
      bodies.push(body)
      const answer = (e: { id: number; method: string }) => (e.method === 'fail' ? { jsonrpc: '2.0', id: e.id, error: { code: 3, message: 'reverted', data: '0x12' } } : { jsonrpc: '2.0', id: e.id, result: e.method })
      const answers = Array.isArray(body) ? body.filter((e) => e.method !== 'drop').map(answer).reverse() : answer(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answers))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => {
  server.closeAllConnections()
  server.close()
})

describe('NodeClient', () => {
  test('sends reads asked together as one batch, matches the answers by id whatever their order, and sends a transaction alone', async () => {
    const node = new NodeClient(url)
    bodies.length = 0
    const answers = await Promise.all([node.request('eth_blockNumber', []), node.request('eth_sendRawTransaction', ['0x01']), node.request('fail', []), node.request('eth_chainId', [])])
    assert.deepEqual(answers, [{ result: 'eth_blockNumber' }, { result: 'eth_sendRawTransaction' }, { error: { code: 3, message: 'reverted', data: '0x12' } }, { result: 'eth_chainId' }])
    assert.equal(bodies.length, 2)
    assert.deepEqual((bodies.find((b) => !Array.isArray(b)) as { method: string }).method, 'eth_sendRawTransaction', 'the transaction went alone')
    assert.deepEqual((bodies.find(Array.isArray) as { method: string }[]).map((e) => e.method), ['eth_blockNumber', 'fail', 'eth_chainId'])
    assert.deepEqual([node.requests, node.httpRequests], [4, 2])
    assert.deepEqual(await node.request('eth_gasPrice', []), { result: 'eth_gasPrice' }, 'a read alone is not a batch')
    assert.equal(Array.isArray(bodies.at(-1)), false)
    node.close()
  })

  test('rejects an entry the node left out of its answer, and every entry when the node is down', async () => {
    const node = new NodeClient(url)
    const [kept, dropped] = await Promise.allSettled([node.request('eth_chainId', []), node.request('drop', [])])
    assert.deepEqual(kept, { status: 'fulfilled', value: { result: 'eth_chainId' } })
    assert.ok(dropped.status === 'rejected' && dropped.reason instanceof NodeUnavailableError && /neither result nor error/.test(dropped.reason.message))
    node.close()
    const down = new NodeClient('http://127.0.0.1:1')
    await assert.rejects(down.request('eth_chainId', []), (error: unknown) => error instanceof NodeUnavailableError && /did not answer eth_chainId/.test(error.message))
    down.close()
  })
})
