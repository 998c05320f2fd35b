import { stringToHex } from 'viem'
import { startTestNetwork, walletFor, chainNamed } from '../test/support/testNetwork.js'
import { JunctionIndex, sendMessage, getMessageStatus } from '../src/sdk/index.js'
const network = await startTestNetwork({ chains: 3, onGateway: ['alpha', 'beta'] })
const user = network.manifest.accounts.users[0]!
const index = new JunctionIndex(network.manifest, { store: network.services!.store, syncFromChains: false })
try {
  for (const [from, to] of [['alpha','beta'],['gamma','alpha'],['alpha','gamma']]) {
    const { bundleHash } = await sendMessage(walletFor(chainNamed(network, from!), user.privateKey), { interopCenter: network.manifest.l2Contracts.interopCenter, recipient: { chainId: chainNamed(network, to!).chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: stringToHex('x') })
    const t0 = Date.now()
    let st
    while (Date.now() - t0 < 20000) { st = await getMessageStatus(index, { bundleHash, simulate: false }); if (st.status === 'executed') break; await new Promise(r => setTimeout(r, 200)) }
    console.log(from, to, st!.status, Date.now() - t0, st!.timeline.map(s => s.status + ':' + (s.detail ?? '')).join(' | '))
  }
} finally {
  console.log([...new Set(network.serviceErrors.map(e => e.slice(0, 300)))].slice(0, 10).join('\n'))
  await network.close()
}
