// Private chains in a network (issue 14, docs/prividium.md "Private chains in a network"): bank-a and
// bank-b settle on the Gateway behind their permissioned RPCs; the users' manifest names only the
// proxies; forced calls from L1 to a private chain are limited to allow-listed L1 senders while anyone
// may still deposit (docs/protocol.md §9.12), checked with real L1 requests processed by the chains;
// their batches settle with commitments only (validium, §5.1): after private transfers and messages
// carrying marker bytes, no transaction input or log on the Gateway or L1 holds any of them; their
// bundles' leaves are blinded (§4.1); a message to a public chain is public there only; value leaving a
// bank shows the Gateway's asset tracker only its asset, amount and destination (§9.10); a bank's withdrawal's
// leaf is blinded too (§9.13): L1 finalizes it with its blinding only, which a member reads for its own
// withdrawals through the permissioned RPC.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { bytesToHex, createPublicClient, decodeFunctionData, encodeFunctionData, getAddress, http, keccak256, numberToHex, parseEventLogs, parseEther, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ChainConnection } from '../../src/chain/ChainConnection.js'
import * as c from '../../src/contracts/generated/index.js'
import { nodeManifest } from '../../src/network/privateChains.js'
import { signInWithEthereum } from '../../src/prividium/PrividiumApiClient.js'
import { blindedBundleCommitment, blindedBridgeMessageCommitment, encodeInteropCallValueAttribute, ethAssetId, validiumDataHash, type BatchCommitment, type ValidiumBatchValue } from '../../src/protocol/index.js'
import { validiumBatchValue } from '../../src/settlement/revealBatchMessages.js'
import { depositETH, finalizeProvenWithdrawal, finalizeWithdrawal, getWithdrawalProof, JunctionIndex, requestL2Call, sendMessage, waitForDeposit, WithdrawalProofUnavailableError } from '../../src/sdk/index.js'
import { buildRoutedLeafProof } from '../../src/indexer/buildProofFromStore.js'
import { bridgeMessageLeafOf } from '../../src/indexer/bridgeMessageLeaf.js'
import { topologyOf } from '../../src/network/topology.js'
import { openStore, type Store } from '../../src/store/openStore.js'
import { fromStoredJson } from '../../src/store/storedJson.js'
import { eventually } from '../support/e2e.js'
import { rejectsWith } from '../../src/testing/rejectsWith.js'
import { chainNamed, startTestNetwork, walletFor } from '../support/testNetwork.js'

let network: Awaited<ReturnType<typeof startTestNetwork>>
let bankA: ChainConnection // on its raw node: the test plays the operator when it checks state
let token: Address

before(async () => {
  network = await startTestNetwork({ chains: 1, onGateway: ['alpha'], privateChains: 2 })
  bankA = new ChainConnection(chainNamed({ manifest: nodeManifest(network.manifest) }, 'bank-a'))
  const deployer = network.manifest.accounts.users[0]!.privateKey
  token = getAddress((await bankA.deploy(deployer, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Bank A dollar', 'BAD', 18], action: 'deploy token' })).address)
})
after(async () => {
  await network?.close()
})

const users = () => network.manifest.accounts.users
const l1Client = () => createPublicClient({ transport: http(network.manifest.l1.rpcUrl) })

test('the manifest marks bank-a and bank-b private, with their permissioned RPC and no raw node URL in the users part', () => {
  const written = JSON.parse(readFileSync(network.manifestPath, 'utf8')) as typeof network.manifest
  const nodes = written.services?.privateNodes ?? {}
  assert.deepEqual(Object.keys(nodes).sort(), ['bank-a', 'bank-b'])
  const { services: _, ...userPart } = written
  for (const name of ['bank-a', 'bank-b']) {
    const chain = chainNamed({ manifest: written }, name)
    assert.equal(chain.private, true)
    assert.match(chain.apiBaseUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(chain.rpcUrl, `${chain.apiBaseUrl}/rpc`)
    assert.equal(chain.settlementLayer, chainNamed({ manifest: written }, 'gateway').chainId)
    assert.ok(!JSON.stringify(userPart).includes(nodes[name]!.rpcUrl), `${name}'s raw node URL appears in the users' part`)
  }
  assert.equal(chainNamed({ manifest: written }, 'alpha').private, undefined)
})

test('a private chain answers nobody without a session, and a member signed in sees its own deposited ETH', async () => {
  const bank = chainNamed(network, 'bank-a')
  const anonymous = createPublicClient({ transport: http(bank.rpcUrl) })
  await assert.rejects(anonymous.getBalance({ address: users()[1]!.address }), (error: Error) => /-32090|session/i.test(`${(error as { code?: number }).code} ${error.message}`))
  const member = privateKeyToAccount(users()[1]!.privateKey)
  const { token: session } = await signInWithEthereum({ apiBaseUrl: bank.apiBaseUrl!, account: member })
  const signedIn = createPublicClient({ transport: http(bank.rpcUrl, { fetchOptions: { headers: { Authorization: `Bearer ${session}` } } }) })
  assert.equal(await signedIn.getBalance({ address: member.address }), parseEther('1000'))
  await assert.rejects(signedIn.getBalance({ address: users()[2]!.address }), /-32001|forbidden|not allowed/i)
})

test('the services settle a private chain on the Gateway', async () => {
  const gateway = new ChainConnection(chainNamed(network, 'gateway'))
  const settlement = chainNamed(network, 'bank-a').settlement
  const deadline = Date.now() + 30_000
  let executed = 0n
  while (executed === 0n && Date.now() < deadline) {
    executed = (await gateway.client.readContract({ address: settlement, abi: c.chainSettlementAbi, functionName: 'totalExecuted' })) as bigint
    if (executed === 0n) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.ok(executed >= 1n, 'bank-a executed no batch on the Gateway')
})

test('an L1 account not on the allow-list cannot force a call into a private chain, and nothing is queued', async () => {
  const outsider = walletFor(network.manifest.l1, users()[4]!.privateKey)
  const bank = chainNamed(network, 'bank-a')
  const queuedBefore = await l1Client().getBlockNumber()
  await rejectsWith(
    requestL2Call(outsider, { manifest: network.manifest, chainId: bank.chainId, target: token, data: encodeFunctionData({ abi: c.testTokenAbi, functionName: 'mint', args: [users()[4]!.address, 1_000n] }) }),
    'L1CallNotAllowed',
  )
  const logs = await l1Client().getLogs({ address: network.manifest.l1.contracts.assetRouter, fromBlock: queuedBefore, event: c.l1AssetRouterAbi.find((item) => item.type === 'event' && item.name === 'L1CallRequested') as never })
  assert.equal(logs.length, 0)
  assert.equal(await bankA.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [users()[4]!.address] }), 0n)
})

test('the same L1 account may still deposit ETH to an address on the private chain', async () => {
  const outsider = walletFor(network.manifest.l1, users()[4]!.privateKey)
  const bank = chainNamed(network, 'bank-a')
  const receiver = privateKeyToAccount(`0x${'42'.repeat(32)}`).address
  const { requestIndex } = await depositETH(outsider, { manifest: network.manifest, chainId: bank.chainId, amount: 12_345n, to: receiver })
  await waitForDeposit(bankA.client, { manifest: network.manifest, requestIndex, timeoutMs: 30_000 })
  assert.equal(await bankA.client.getBalance({ address: receiver }), 12_345n)
})

test('an allow-listed L1 sender forces a call into the private chain, which the chain makes with its L1 sender known', async () => {
  const bank = chainNamed(network, 'bank-a')
  const admin = new ChainConnection(network.manifest.l1)
  const sender = users()[3]!
  await admin.write(network.manifest.accounts.l1Deployer.privateKey, { address: network.manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi, functionName: 'setL1CallSenderAllowed', args: [BigInt(bank.chainId), sender.address, true], action: 'allow a forced-call sender' })
  const receiver = privateKeyToAccount(`0x${'43'.repeat(32)}`).address
  const { requestIndex } = await requestL2Call(walletFor(network.manifest.l1, sender.privateKey), { manifest: network.manifest, chainId: bank.chainId, target: token, data: encodeFunctionData({ abi: c.testTokenAbi, functionName: 'mint', args: [receiver, 777n] }) })
  await waitForDeposit(bankA.client, { manifest: network.manifest, requestIndex, timeoutMs: 30_000 })
  assert.equal(await bankA.client.readContract({ address: token, abi: c.testTokenAbi, functionName: 'balanceOf', args: [receiver] }), 777n)
  const executed = parseEventLogs({ abi: c.l2AssetRouterAbi, eventName: 'L1CallExecuted', logs: await bankA.client.getLogs({ address: network.manifest.l2Contracts.l2AssetRouter, fromBlock: 0n }) })
  assert.deepEqual(executed.map((log) => [getAddress(log.args.l1Sender), getAddress(log.args.l2Target)]), [[getAddress(sender.address), token]])
})

test('forced calls to a public chain stay open to any L1 account', async () => {
  const alpha = new ChainConnection(chainNamed(network, 'alpha'))
  const deployer = users()[0]!.privateKey
  const alphaToken = getAddress((await alpha.deploy(deployer, { abi: c.testTokenAbi, bytecode: c.testTokenBytecode, args: ['Alpha', 'ALP', 18], action: 'deploy token' })).address)
  const anyone = walletFor(network.manifest.l1, users()[4]!.privateKey)
  const { requestIndex } = await requestL2Call(anyone, { manifest: network.manifest, chainId: chainNamed(network, 'alpha').chainId, target: alphaToken, data: encodeFunctionData({ abi: c.testTokenAbi, functionName: 'mint', args: [users()[4]!.address, 5n] }) })
  await waitForDeposit(alpha.client, { manifest: network.manifest, requestIndex, timeoutMs: 30_000 })
  assert.equal(await alpha.client.readContract({ address: alphaToken, abi: c.testTokenAbi, functionName: 'balanceOf', args: [users()[4]!.address] }), 5n)
})


test('private transfers and messages between the banks leave no data, address, amount or payload on the Gateway or L1', async () => {
  const manifest = nodeManifest(network.manifest)
  const bankB = new ChainConnection(chainNamed({ manifest }, 'bank-b'))
  const marker = bytesToHex(randomBytes(24))
  // Parties that never touched L1 or the Gateway: a fresh sender funded privately, a fresh receiver.
  const senderKey = bytesToHex(randomBytes(32))
  const sender = privateKeyToAccount(senderKey).address
  const receiver = privateKeyToAccount(bytesToHex(randomBytes(32))).address
  const amount = 0x5eed_0000_0000n + BigInt(`0x${randomBytes(4).toString('hex')}`)
  const member = users()[0]!.privateKey
  await bankA.sendRaw(member, { to: sender, data: '0x', value: parseEther('1'), action: 'fund a fresh sender privately' })
  await bankA.sendRaw(senderKey, { to: receiver, value: amount, data: marker, action: 'private ETH transfer with a marker' })
  await bankA.write(member, { address: token, abi: c.testTokenAbi, functionName: 'mint', args: [sender, amount * 3n], action: 'mint' })
  await bankA.write(senderKey, { address: token, abi: c.testTokenAbi, functionName: 'transfer', args: [receiver, amount], action: 'private token transfer' })
  const toB = await sendMessage(walletFor(chainNamed({ manifest }, 'bank-a'), senderKey), { recipient: { chainId: bankB.chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: `${marker}${receiver.slice(2)}`, interopCenter: network.manifest.l2Contracts.interopCenter })
  const toA = await sendMessage(walletFor(chainNamed({ manifest }, 'bank-b'), member), { recipient: { chainId: bankA.chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: marker, interopCenter: network.manifest.l2Contracts.interopCenter })

  const store = openStore(join(network.dataDir, 'junction.db'))
  try {
    // Both messages executed on their destination, and every batch of the banks that holds them executed on the Gateway.
    for (const { bundleHash } of [toB, toA]) await eventually(`bundle ${bundleHash} executed`, () => store.prepare('SELECT 1 AS one FROM bundles_executed WHERE bundle_hash = ?').get(bundleHash) ?? undefined, { timeoutMs: 60_000 })
    // The blocks that sent them (after the private transfers on bank-a) are in batches executed on the Gateway.
    for (const [chainId, sent] of [[bankA.chainId, toB], [bankB.chainId, toA]] as const) {
      const block = Number(sent.receipt.blockNumber)
      await eventually(`chain ${chainId} settled to block ${block} (service errors: ${network.serviceErrors.slice(-3).join('; ')})`, () => executedTo(store, chainId) >= block || undefined, { timeoutMs: 60_000 })
    }
    // ...and the Gateway's batches holding those executions executed on L1.
    const gateway = chainNamed(network, 'gateway')
    const gatewayHead = Number(await new ChainConnection(gateway).client.getBlockNumber())
    await eventually(`the Gateway settled on L1 to block ${gatewayHead} (service errors: ${network.serviceErrors.slice(-3).join('; ')})`, () => executedTo(store, gateway.chainId) >= gatewayHead || undefined, { timeoutMs: 60_000 })

    // The banks' commitments are validium commitments: a data hash over the batch's transactions, whose
    // hashes only the operator's store keeps, and the batch's value summary.
    const kept = store.prepare('SELECT b.commitment, d.transaction_hashes FROM batches b JOIN batch_data d USING (chain_id, batch_number) WHERE b.chain_id = ?').all(bankA.chainId) as { commitment: string; transaction_hashes: string }[]
    assert.ok(kept.length > 0)
    for (const row of kept) {
      const batch = fromStoredJson<BatchCommitment>(row.commitment)
      const value = validiumBatchValue(store, network.manifest.l2Contracts, bankA.chainId, { firstBlock: Number(batch.firstBlock), lastBlock: Number(batch.lastBlock) }, JSON.parse(row.transaction_hashes) as Hex[])
      assert.equal(batch.dataHash, validiumDataHash(value))
    }
    // The relayer read each bundle and its blinding through its source's permissioned RPC, signed in with the
    // relayer role (the proxies' audit logs), and the destination executed it with its blinding.
    for (const [name, sent] of [['bank-a', toB], ['bank-b', toA]] as const) {
      const audit = new Database(join(network.dataDir, 'prividium', `${name}.db`), { readonly: true })
      try {
        const reads = audit.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE user_id = 'relayer' AND method = 'eth_getLogs' AND allowed = 1").get() as { n: number }
        assert.ok(reads.n > 0, `the relayer read ${name}'s bundles through its proxy`)
        const refused = audit.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE user_id = 'relayer' AND allowed = 0").get() as { n: number }
        assert.equal(refused.n, 0)
      } finally {
        audit.close()
      }
      const { tx_hash } = store.prepare('SELECT tx_hash FROM bundles_executed WHERE bundle_hash = ?').get(sent.bundleHash) as { tx_hash: Hex }
      const destinationName = name === 'bank-a' ? 'bank-b' : 'bank-a'
      const destination = new ChainConnection(chainNamed({ manifest }, destinationName))
      const execution = await destination.client.getTransaction({ hash: tx_hash })
      assert.equal(decodeFunctionData({ abi: c.interopHandlerAbi, data: execution.input }).functionName, 'executeBlindedBundle')
      assert.equal(execution.from.toLowerCase(), network.manifest.accounts.relayer.address.toLowerCase())
      // The relayer sent that execution through the destination's permissioned RPC, like any member: allowed by
      // the relayer role's write rule and recorded in the audit log, with its wallet, the InteropHandler and the
      // function's selector (the log keeps no hash: the execution's selector is the only one the relayer sends there).
      const destinationAudit = new Database(join(network.dataDir, 'prividium', `${destinationName}.db`), { readonly: true })
      try {
        type AuditedSend = { user_id: string; wallet: string; target: string; selector: string; allowed: number; reason: string }
        const sendsOfRelayer = () => destinationAudit
          .prepare("SELECT user_id, lower(wallet) AS wallet, lower(target) AS target, lower(selector) AS selector, allowed, reason FROM audit_log WHERE method = 'eth_sendRawTransaction' AND lower(wallet) = ?")
          .all(network.manifest.accounts.relayer.address.toLowerCase()) as AuditedSend[]
        const executionsIn = (sends: AuditedSend[]) => sends.filter((entry) => entry.target === network.manifest.l2Contracts.interopHandler.toLowerCase() && entry.selector === execution.input.slice(0, 10).toLowerCase())
        // The proxy writes its audit log in batches (every 50 ms): the execution's entry may follow its receipt.
        const executions = await eventually(`the relayer's executeBlindedBundle in ${destinationName}'s audit log`, () => {
          const found = executionsIn(sendsOfRelayer())
          return found.length > 0 ? found : undefined
        }, { timeoutMs: 5_000 }).catch((error: unknown) => {
          throw new Error(`no eth_sendRawTransaction of the relayer's executeBlindedBundle in ${destinationName}'s audit log (its sends there: ${JSON.stringify(sendsOfRelayer())})`, { cause: error })
        })
        assert.ok(executions.every((entry) => entry.user_id === 'relayer' && entry.allowed === 1), JSON.stringify(executions))
      } finally {
        destinationAudit.close()
      }
    }
    // Each message's leaf on its source is its blinded commitment, never its bundle hash (§4.1).
    for (const [chainId, sent] of [[bankA.chainId, toB], [bankB.chainId, toA]] as const) {
      const { blinding } = store.prepare('SELECT blinding FROM bundle_blindings WHERE bundle_hash = ?').get(sent.bundleHash) as { blinding: Hex }
      const leaves = (store.prepare('SELECT payload_hash FROM message_leaves WHERE chain_id = ? AND block_number = ?').all(chainId, Number(sent.receipt.blockNumber)) as { payload_hash: Hex }[]).map((l) => l.payload_hash)
      assert.ok(leaves.includes(blindedBundleCommitment(sent.bundleHash, blinding)))
      assert.ok(!leaves.includes(sent.bundleHash))
    }

    const needles = {
      marker: marker.slice(2),
      sender: sender.slice(2).toLowerCase(),
      receiver: receiver.slice(2).toLowerCase(),
      amount: numberToHex(amount, { size: 32 }).slice(2),
      // The bundles' hashes, which would confirm a guess of their whole content.
      'bundle bank-a → bank-b': toB.bundleHash.slice(2),
      'bundle bank-b → bank-a': toA.bundleHash.slice(2),
    }
    for (const [name, client] of [['L1', l1Client()], ['the Gateway', createPublicClient({ transport: http(gateway.rpcUrl) })]] as const) {
      const seen = await everythingOn(client)
      assert.ok(seen.length > 10_000, `read ${name}'s transactions and logs`)
      for (const [what, needle] of Object.entries(needles)) assert.ok(!seen.includes(needle), `the ${what} appears on ${name}`)
    }
    // The same scan finds what is public: a dev user's deposit from L1 names it there.
    assert.ok((await everythingOn(l1Client())).includes(users()[0]!.address.slice(2).toLowerCase()))
  } finally {
    store.close()
  }
})

test('a message from a private chain to a public one is public on the destination only: nothing of it on the Gateway or L1', async () => {
  const manifest = nodeManifest(network.manifest)
  const alpha = chainNamed(network, 'alpha')
  const marker = bytesToHex(randomBytes(24))
  const senderKey = bytesToHex(randomBytes(32))
  const sender = privateKeyToAccount(senderKey).address
  await bankA.sendRaw(users()[0]!.privateKey, { to: sender, data: '0x', value: parseEther('1'), action: 'fund a fresh sender privately' })
  const sent = await sendMessage(walletFor(chainNamed({ manifest }, 'bank-a'), senderKey), { recipient: { chainId: alpha.chainId, address: network.manifest.l2Contracts.exampleRecipient }, payload: marker, interopCenter: network.manifest.l2Contracts.interopCenter })
  const store = openStore(join(network.dataDir, 'junction.db'))
  try {
    await eventually('the bundle executed on alpha', () => store.prepare('SELECT 1 AS one FROM bundles_executed WHERE bundle_hash = ? AND chain_id = ?').get(sent.bundleHash, alpha.chainId) ?? undefined, { timeoutMs: 60_000 })
    const gateway = chainNamed(network, 'gateway')
    const gatewayHead = Number(await new ChainConnection(gateway).client.getBlockNumber())
    await eventually(`the Gateway settled on L1 to block ${gatewayHead}`, () => executedTo(store, gateway.chainId) >= gatewayHead || undefined, { timeoutMs: 60_000 })
    const needles = { marker: marker.slice(2), sender: sender.slice(2).toLowerCase(), 'bundle hash': sent.bundleHash.slice(2) }
    for (const [name, rpcUrl] of [['L1', network.manifest.l1.rpcUrl], ['the Gateway', gateway.rpcUrl]] as const) {
      const seen = await everythingOn(createPublicClient({ transport: http(rpcUrl) }))
      for (const [what, needle] of Object.entries(needles)) assert.ok(!seen.includes(needle), `the ${what} appears on ${name}`)
    }
    // The destination is public: it shows what it executed, the payload and its sender (a positive control of the scan).
    const onAlpha = await everythingOn(createPublicClient({ transport: http(alpha.rpcUrl) }))
    assert.ok(onAlpha.includes(needles.marker) && onAlpha.includes(needles.sender))
  } finally {
    store.close()
  }
})

test("value leaving a private chain moves the Gateway tracker's balances exactly, and the Gateway learns only its asset, amount and destination", async () => {
  const manifest = nodeManifest(network.manifest)
  const gateway = chainNamed(network, 'gateway')
  const gatewayClient = new ChainConnection(gateway).client
  const eth = ethAssetId({ l1ChainId: network.manifest.l1.chainId, l1Vault: network.manifest.l1.contracts.nativeTokenVault })
  const trackerBalance = (chainId: number) => gatewayClient.readContract({ address: gateway.gatewayContracts!.assetTracker, abi: c.gatewayAssetTrackerAbi, functionName: 'balanceOf', args: [BigInt(chainId), eth] }) as Promise<bigint>
  const bankB = new ChainConnection(chainNamed({ manifest }, 'bank-b'))
  const recipient = network.manifest.l2Contracts.exampleRecipient
  // Parties that never touched L1 or the Gateway: a fresh sender funded privately, a fresh L1 receiver.
  const senderKey = bytesToHex(randomBytes(32))
  const sender = privateKeyToAccount(senderKey).address
  const l1Receiver = privateKeyToAccount(bytesToHex(randomBytes(32))).address
  await bankA.sendRaw(users()[0]!.privateKey, { to: sender, data: '0x', value: parseEther('1'), action: 'fund a fresh sender privately' })
  const value = 4_321_000n + BigInt(randomBytes(2).readUInt16BE())
  const withdrawn = 7_654_000n + BigInt(randomBytes(2).readUInt16BE())
  const firstBlock = Number(await gatewayClient.getBlockNumber())
  const [aBefore, bBefore, recipientBefore] = await Promise.all([trackerBalance(bankA.chainId), trackerBalance(bankB.chainId), bankB.client.getBalance({ address: recipient })])
  const sent = await sendMessage(walletFor(chainNamed({ manifest }, 'bank-a'), senderKey), { recipient: { chainId: bankB.chainId, address: recipient }, payload: '0x01', attributes: [encodeInteropCallValueAttribute(value)], interopCenter: network.manifest.l2Contracts.interopCenter })
  const withdrawal = await bankA.write(senderKey, { address: network.manifest.l2Contracts.l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'withdrawETH', args: [l1Receiver], value: withdrawn, action: 'withdraw ETH to L1' })
  const store = openStore(join(network.dataDir, 'junction.db'))
  try {
    await eventually('the bundle executed on bank-b', () => store.prepare('SELECT 1 AS one FROM bundles_executed WHERE bundle_hash = ?').get(sent.bundleHash) ?? undefined, { timeoutMs: 60_000 })
    await eventually('both batches executed on the Gateway', () => executedTo(store, bankA.chainId) >= Number(withdrawal.blockNumber) || undefined, { timeoutMs: 60_000 })
  } finally {
    store.close()
  }
  assert.equal(await bankB.client.getBalance({ address: recipient }), recipientBefore + value)
  assert.equal(await trackerBalance(bankA.chainId), aBefore - value - withdrawn)
  assert.equal(await trackerBalance(bankB.chainId), bBefore + value)

  // What the Gateway was given for bank-a's batches: value summaries, whose lines are these moves.
  const approvals: ValidiumBatchValue[] = []
  for (let n = firstBlock; n <= Number(await gatewayClient.getBlockNumber()); n++) {
    for (const tx of (await gatewayClient.getBlock({ blockNumber: BigInt(n), includeTransactions: true })).transactions) {
      if (tx.to?.toLowerCase() !== gateway.gatewayContracts!.assetTracker.toLowerCase()) continue
      const call = decodeFunctionData({ abi: c.gatewayAssetTrackerAbi, data: tx.input })
      if (call.functionName === 'approveBatches') assert.notEqual(call.args[0], BigInt(bankA.chainId), "bank-a's batches are approved from their messages")
      if (call.functionName === 'approveValidiumBatches' && call.args[0] === BigInt(bankA.chainId)) approvals.push(...(call.args[2] as ValidiumBatchValue[]))
    }
  }
  const moves = approvals.flatMap((a) => a.moves).map((m) => [m.assetId, m.amount, Number(m.toChainId)])
  assert.deepEqual(moves.filter(([, amount]) => amount === value || amount === withdrawn).sort((x, y) => Number(x[2]) - Number(y[2])), [[eth, withdrawn, 0], [eth, value, bankB.chainId]])
  const seen = await everythingOn(gatewayClient as PublicClient)
  for (const [what, needle] of Object.entries({ sender, 'L1 receiver': l1Receiver, 'bundle hash': sent.bundleHash })) assert.ok(!seen.includes(needle.slice(2).toLowerCase()), `the ${what} appears on the Gateway`)

  // The withdrawal's leaf is blinded (docs/protocol.md §9.13): L1 refuses it as a plain withdrawal and with another
  // blinding (ProofRootMismatch); the SDK, with the operator's index, finalizes it with its blinding, once.
  const l2AssetRouter = network.manifest.l2Contracts.l2AssetRouter
  const operatorStore = openStore(join(network.dataDir, 'junction.db'))
  try {
    const [initiated] = parseEventLogs({ abi: c.l2AssetRouterAbi, eventName: 'WithdrawalInitiated', logs: withdrawal.logs })
    const message = initiated!.args.message
    const leaf = bridgeMessageLeafOf(operatorStore, bankA.chainId, message)
    assert.ok(leaf.blinding !== undefined, 'the index holds the blinding of the bank-a withdrawal')
    assert.equal(leaf.payloadHash, blindedBridgeMessageCommitment(keccak256(message), leaf.blinding))
    const leaves = (operatorStore.prepare('SELECT payload_hash FROM message_leaves WHERE chain_id = ? AND block_number = ?').all(bankA.chainId, Number(withdrawal.blockNumber)) as { payload_hash: Hex }[]).map((l) => l.payload_hash)
    assert.ok(leaves.includes(leaf.payloadHash) && !leaves.includes(keccak256(message)), "the withdrawal's leaf holds its blinded commitment, not its message's hash")
    // So does the ETH transfer message the bundle's value recorded (bridgeBundleValue): its leaf is blinded too, so a
    // proof used on L1 that shows it as a neighbour confirms no guess of its sender and amount.
    const transferRow = operatorStore.prepare('SELECT message FROM transfers WHERE tx_hash = ?').get(sent.receipt.transactionHash) as { message: Hex } | undefined
    assert.ok(transferRow, 'the bundle value is indexed as a transfer')
    const transferLeaf = bridgeMessageLeafOf(operatorStore, bankA.chainId, transferRow.message)
    assert.ok(transferLeaf.blinding !== undefined, 'the index holds the blinding of the bank-a transfer')
    const transferLeaves = (operatorStore.prepare('SELECT payload_hash FROM message_leaves WHERE chain_id = ? AND block_number = ?').all(bankA.chainId, Number(sent.receipt.blockNumber)) as { payload_hash: Hex }[]).map((l) => l.payload_hash)
    assert.ok(transferLeaves.includes(transferLeaf.payloadHash) && !transferLeaves.includes(keccak256(transferRow.message)), "the transfer's leaf holds its blinded commitment, not its message's hash")
    const proof = await eventually(`the bank-a withdrawal provable on L1 (service errors: ${network.serviceErrors.slice(-3).join('; ')})`, () => {
      const built = buildRoutedLeafProof(operatorStore, { topology: topologyOf(network.manifest, operatorStore), sourceChainId: bankA.chainId, destination: network.manifest.l1.chainId, sender: l2AssetRouter, payloadHash: leaf.payloadHash })
      return built.ready ? built.proof : undefined
    }, { timeoutMs: 90_000 })
    const l1 = new ChainConnection(network.manifest.l1)
    const l1Router = { address: network.manifest.l1.contracts.assetRouter, abi: c.l1AssetRouterAbi } as const
    const finalizer = users()[4]!.privateKey
    await rejectsWith(l1.write(finalizer, { ...l1Router, functionName: 'finalizeWithdrawal', args: [BigInt(bankA.chainId), message, proof], action: 'finalize a blinded withdrawal as a plain one' }), 'ProofRootMismatch')
    await rejectsWith(l1.write(finalizer, { ...l1Router, functionName: 'finalizeBlindedWithdrawal', args: [BigInt(bankA.chainId), message, keccak256(leaf.blinding), proof], action: 'finalize with a wrong blinding' }), 'ProofRootMismatch')
    assert.equal(await l1Client().getBalance({ address: l1Receiver }), 0n)

    const index = new JunctionIndex(network.manifest, { store: operatorStore, syncFromChains: false })
    const l1Wallet = walletFor(network.manifest.l1, finalizer)
    const finalized = await finalizeWithdrawal(l1Wallet, index, { chainId: bankA.chainId, transactionHash: withdrawal.transactionHash })
    assert.equal(finalized.receipt.status, 'success')
    assert.equal(finalized.blinded, true)
    assert.equal(decodeFunctionData({ abi: c.l1AssetRouterAbi, data: (await l1Client().getTransaction({ hash: finalized.transactionHash })).input }).functionName, 'finalizeBlindedWithdrawal')
    assert.equal(await l1Client().getBalance({ address: l1Receiver }), withdrawn)
    await rejectsWith(finalizeWithdrawal(l1Wallet, index, { chainId: bankA.chainId, transactionHash: withdrawal.transactionHash }), 'WithdrawalAlreadyFinalized')
    await rejectsWith(l1.write(finalizer, { ...l1Router, functionName: 'finalizeWithdrawal', args: [BigInt(bankA.chainId), message, proof], action: 'finalize it again as a plain one' }), 'ProofRootMismatch')
    assert.equal(await l1Client().getBalance({ address: l1Receiver }), withdrawn)

    // A member reads its own withdrawal's blinding through the permissioned RPC; another member sees none of it.
    const member = users()[1]!
    const own = await bankA.write(member.privateKey, { address: l2AssetRouter, abi: c.l2AssetRouterAbi, functionName: 'withdrawETH', args: [member.address], value: 1_000n, action: 'a member withdraws ETH' })
    const ownRow = await eventually("the member's withdrawal indexed", () => (operatorStore.prepare('SELECT message FROM withdrawals WHERE tx_hash = ?').get(own.transactionHash) as { message: Hex } | undefined) ?? undefined, { timeoutMs: 30_000 })
    const ownBlinding = bridgeMessageLeafOf(operatorStore, bankA.chainId, ownRow.message).blinding
    assert.ok(ownBlinding !== undefined)
    const bank = chainNamed(network, 'bank-a')
    const sessionClient = async (privateKey: Hex) => {
      const { token: session } = await signInWithEthereum({ apiBaseUrl: bank.apiBaseUrl!, account: privateKeyToAccount(privateKey) })
      return createPublicClient({ transport: http(bank.rpcUrl, { fetchOptions: { headers: { Authorization: `Bearer ${session}` } } }) })
    }
    const routerLogsSeenBy = async (privateKey: Hex) => {
      const client = await sessionClient(privateKey)
      return parseEventLogs({ abi: c.l2AssetRouterAbi, logs: await client.getLogs({ address: l2AssetRouter, fromBlock: own.blockNumber, toBlock: own.blockNumber }) })
    }
    const seenByMember = await routerLogsSeenBy(member.privateKey)
    const blindings = seenByMember.flatMap((log) => (log.eventName === 'WithdrawalBlinded' ? [[getAddress(log.args.l2Sender), log.args.blinding]] : []))
    assert.deepEqual(blindings, [[getAddress(member.address), ownBlinding]])
    assert.ok(seenByMember.some((log) => log.eventName === 'WithdrawalInitiated'), 'the member sees its own WithdrawalInitiated')
    assert.deepEqual(await routerLogsSeenBy(users()[2]!.privateKey), [], 'another member sees nothing of it')

    // The member, without the operator's index, gets its withdrawal's proof from the permissioned RPC
    // (junction_getWithdrawalProof) and finalizes it on L1. Another member is told what an unknown hash is told;
    // without a session the RPC answers -32090.
    const memberClient = await sessionClient(member.privateKey)
    const refusal = async (client: Parameters<typeof getWithdrawalProof>[0], transactionHash: Hex) => {
      const error = await getWithdrawalProof(client, { transactionHash }).then(() => undefined, (e: unknown) => e)
      assert.ok(error instanceof WithdrawalProofUnavailableError, `refused: ${String(error)}`)
      return { notReady: error.notReady, reason: String((error.cause as Error).message).replaceAll(transactionHash, '<tx>') }
    }
    const otherMember = await sessionClient(users()[2]!.privateKey)
    const strangers = await refusal(otherMember, own.transactionHash)
    assert.equal(strangers.notReady, false)
    assert.deepEqual(strangers, await refusal(otherMember, keccak256(own.transactionHash)), "another member's withdrawal looks like an unknown transaction")
    assert.match((await refusal(createPublicClient({ transport: http(bank.rpcUrl) }), own.transactionHash)).reason, /session/)
    const served = await eventually('the member\'s withdrawal proof served by the permissioned RPC', async () => {
      try {
        return await getWithdrawalProof(memberClient, { transactionHash: own.transactionHash })
      } catch (error) {
        if (error instanceof WithdrawalProofUnavailableError && error.notReady) return undefined
        throw error
      }
    }, { timeoutMs: 90_000, intervalMs: 500 })
    assert.deepEqual([served.chainId, served.l2Sender, served.message, served.blinding], [bankA.chainId, getAddress(member.address), ownRow.message, ownBlinding])
    const memberL1Before = await l1Client().getBalance({ address: member.address })
    const provenFinalized = await finalizeProvenWithdrawal(l1Wallet, { assetRouter: network.manifest.l1.contracts.assetRouter, withdrawal: served })
    assert.equal(provenFinalized.blinded, true)
    assert.equal(await l1Client().getBalance({ address: member.address }), memberL1Before + 1_000n, 'the member is paid on L1')
  } finally {
    operatorStore.close()
  }
})

/** The last block of a chain's last batch executed on its settlement layer, as the services recorded it. */
function executedTo(store: Store, chainId: number): number {
  const row = store.prepare("SELECT MAX(last_block) AS last FROM batches WHERE chain_id = ? AND status = 'executed'").get(chainId) as { last: number | null }
  return row.last ?? -1
}

/** Every transaction input and log (topics and data) of a chain, lowercased, as one string. */
async function everythingOn(client: PublicClient): Promise<string> {
  const head = Number(await client.getBlockNumber())
  const parts: string[] = []
  for (let from = 0; from <= head; from += 50) {
    const blocks = await Promise.all(Array.from({ length: Math.min(50, head - from + 1) }, (_, i) => client.getBlock({ blockNumber: BigInt(from + i), includeTransactions: true })))
    for (const block of blocks) for (const tx of block.transactions) parts.push(tx.input, tx.to ?? '', tx.from)
  }
  const logs = await client.request({ method: 'eth_getLogs', params: [{ fromBlock: '0x0', toBlock: 'latest' }] })
  for (const log of logs) parts.push(log.data, ...log.topics)
  return parts.join(' ').toLowerCase()
}
