// Sends a message alpha → beta on a running network (`npm start` first), waits, prints the timeline.
// Run: npx tsx examples/sendMessage.ts
import { createWalletClient, http, stringToHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { junctionActions, loadManifest } from '../src/sdk/index.js'

const manifest = loadManifest('.junction/network.json')
const [alpha, beta] = manifest.chains
if (!alpha || !beta) throw new Error('the network needs two ZK chains')
const client = createWalletClient({ account: privateKeyToAccount(manifest.accounts.users[0]!.privateKey), transport: http(alpha.rpcUrl) })
  .extend(junctionActions({ manifest }))
const { bundleHash } = await client.sendMessage({ recipient: { chainId: beta.chainId, address: manifest.l2Contracts.exampleRecipient }, payload: stringToHex('hi') })
const status = await client.waitForMessage({ bundleHash })
console.log(status.status, status.timeline)
