import { parseEther } from 'viem'
import { startTestNetwork } from '../test/support/testNetwork.js'
import { prepareLendingDemo, runLendingDemo } from '../src/demo/lendingDemo.js'
import { ChainConnection } from '../src/chain/ChainConnection.js'
const network = await startTestNetwork({ chains: 1 })
try {
  const setup = await prepareLendingDemo({ manifest: network.manifest, chainName: 'alpha', userIndex: 1 })
  const result = await runLendingDemo({ manifest: network.manifest, setup, collateral: parseEther('1'), borrow: parseEther('1600') })
  console.log(result.outcome, result.failure)
  const l1 = new ChainConnection(network.manifest.l1)
  const rows = network.services!.store.prepare('SELECT * FROM deliveries').all() as { tx_hash: `0x${string}` }[]
  console.log(rows)
  for (const r of rows) if (r.tx_hash) {
    const trace = await l1.client.request({ method: 'debug_traceTransaction' as never, params: [r.tx_hash, { tracer: 'callTracer' }] as never })
    console.log(JSON.stringify(trace, (k, v) => (k === 'input' || k === 'output') && typeof v === 'string' && v.length > 80 ? v.slice(0, 80) + '…' : v, 1).slice(0, 6000))
  }
} finally { console.log(network.serviceErrors.slice(0,5)); await network.close() }
