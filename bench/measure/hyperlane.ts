// 5. A peer side by side: Hyperlane's contracts (@hyperlane-xyz/core) on two anvil chains that the
// bench starts like Junction's, a TypeScript relayer + validator in its own process: delivery
// latency and dispatch + process gas for the same payloads and the same recipient as Junction.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPublicClient, http, keccak256, pad, parseAbi, stringToHex, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { waitForTransactionReceipt, writeContract } from 'viem/actions'
import { DEV_ACCOUNT_COUNT, DEV_MNEMONIC, devAccount } from '../../src/chain/devAccounts.js'
import { createAnvil, withParentDeathSignal, type AnvilProcess } from '../../src/chain/process/index.js'
import { startBlockProducers } from '../../src/network/startBlockProducers.js'
import type { BlockProducer } from '../../src/sequencer/BlockProducer.js'
import { DeliveryWatcher } from '../lib/deliveryWatcher.js'
import { sleep, summarize, type Summary } from '../../src/testing/load/stats.js'
import { deliveryGas, GAS_SAMPLES, mean, payloadOfSize } from './gas.js'
import { hyperlanePackage } from '../hyperlane/artifacts.js'
import { deployHyperlane } from '../hyperlane/deployHyperlane.js'
import type { HyperlaneRelayerConfig } from '../hyperlane/relayer.js'
import { walletFor } from '../../src/chain/walletFor.js'

const dispatchAbi = parseAbi(['function dispatch(uint32 destinationDomain, bytes32 recipientAddress, bytes messageBody) payable returns (bytes32)'])

export type HyperlaneResult = {
  version: string
  setup: string
  gas: { payloadBytes: number; ism: string; dispatch: number; process: number }[]
  latency: { ism: string; ratePerSecond: number; latencyMs: Summary; missing: number; samples: number[] }
}

/** The bench could not start its Hyperlane relayer. */
export class HyperlaneRelayerError extends Error {
  override name = 'HyperlaneRelayerError'
}

/** Starts two anvils, deploys Hyperlane, runs the relayer process, measures gas and latency, stops everything. */
export async function measureHyperlane(parameters: { dataDir: string; sizes: number[]; latencyCount: number; ratePerSecond: number }): Promise<HyperlaneResult> {
  const pkg = hyperlanePackage()
  if (!pkg) throw new HyperlaneRelayerError('@hyperlane-xyz/core is not installed: run npm install')
  const anvils: AnvilProcess[] = [
    // Started as Junction starts its L1: automine off, blocks produced by Junction's block producer.
    createAnvil({ chainId: 1_001, port: 0, name: 'hyperlane-origin', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, noMining: true }),
    createAnvil({ chainId: 1_002, port: 0, name: 'hyperlane-destination', accounts: DEV_ACCOUNT_COUNT, mnemonic: DEV_MNEMONIC, noMining: true }),
  ]
  let producers: BlockProducer[] = []
  let relayer: ReturnType<typeof spawn> | undefined
  try {
    await Promise.all(anvils.map((a) => a.start()))
    const chains = anvils.map((a) => ({ chainId: a.chainId, rpcUrl: a.rpcUrl, name: a.name })) as [{ chainId: number; rpcUrl: string; name: string }, { chainId: number; rpcUrl: string; name: string }]
    producers = await startBlockProducers(anvils)
    const relayerKey = devAccount(1).privateKey
    const validatorKey = devAccount(19).privateKey
    const deployment = await deployHyperlane({ chains, deployerKey: devAccount(2).privateKey, relayer: privateKeyToAccount(relayerKey).address, validator: privateKeyToAccount(validatorKey).address })
    const configFile = join(parameters.dataDir, 'hyperlane-relayer.json')
    writeFileSync(configFile, JSON.stringify({ deployment, relayerKey, validatorKey } satisfies HyperlaneRelayerConfig))
    const { command, args } = withParentDeathSignal(process.execPath, ['--import', 'tsx', 'bench/hyperlane/relayer.ts', configFile])
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    relayer = child
    await new Promise<void>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (chunk.includes('relayer running') ? resolve() : undefined))
      child.once('exit', (code, signal) => reject(new HyperlaneRelayerError(`the Hyperlane relayer exited with ${code ?? signal}`)))
    })
    child.stdout!.resume()

    const [origin, destination] = chains
    const sender = walletFor(origin, devAccount(3).privateKey)
    const destinationClient = createPublicClientFor(destination.rpcUrl)
    const dispatch = async (recipient: Address, body: Hex) => {
      const hash = await writeContract(sender, { address: deployment.origin.mailbox, abi: dispatchAbi, functionName: 'dispatch', args: [destination.chainId, pad(recipient), body] })
      return waitForTransactionReceipt(sender, { hash, pollingInterval: 10 })
    }

    const gas: HyperlaneResult['gas'] = []
    const isms = [
      { ism: 'TrustedRelayerIsm', recipient: deployment.trustedRecipient },
      { ism: 'MessageIdMultisigIsm, 1 of 1', recipient: deployment.multisigRecipient },
    ]
    for (const { ism, recipient } of isms) {
      const watcher = new DeliveryWatcher({ rpcUrls: [destination.rpcUrl], recipient })
      await watcher.start()
      // A first message warms storage (nonces, tree) that every later one finds warm, as on a chain in use.
      const warm = payloadOfSize(32, `hyperlane warm-up ${ism}`)
      await dispatch(recipient, warm)
      await watcher.waitFor([keccak256(warm)], 30_000)
      for (const size of parameters.sizes) {
        const samples: { dispatch: number; process: number }[] = []
        for (let i = 0; i < GAS_SAMPLES; i++) {
          const body = payloadOfSize(size, `hyperlane gas ${size} ${i} ${Date.now()}`)
          const receipt = await dispatch(recipient, body)
          if ((await watcher.waitFor([keccak256(body)], 30_000)) > 0) throw new HyperlaneRelayerError(`a ${size}-byte Hyperlane message was not delivered within 30 s`)
          samples.push({ dispatch: Number(receipt.gasUsed), process: (await deliveryGas(destinationClient, recipient, keccak256(body))).gas })
        }
        gas.push({ payloadBytes: size, ism, dispatch: mean(samples.map((s) => s.dispatch)), process: mean(samples.map((s) => s.process)) })
      }
      await watcher.stop()
    }

    // Latency through the multisig ISM (the shape of a production route), paced like Junction's.
    const watcher = new DeliveryWatcher({ rpcUrls: [destination.rpcUrl], recipient: deployment.multisigRecipient })
    await watcher.start()
    const sentAt = new Map<Hex, number>()
    const started = performance.now()
    for (let i = 0; i < parameters.latencyCount; i++) {
      const due = started + (i * 1000) / parameters.ratePerSecond
      if (due > performance.now()) await sleep(due - performance.now())
      const body = stringToHex(`hyperlane latency ${Date.now()} ${i}`)
      await dispatch(deployment.multisigRecipient, body)
      sentAt.set(keccak256(body), performance.now())
    }
    const missing = await watcher.waitFor(sentAt.keys(), 30_000)
    await watcher.stop()
    const samples = [...sentAt].filter(([h]) => watcher.firstSeen.has(h)).map(([h, t]) => watcher.firstSeen.get(h)! - t)
    return {
      version: pkg.version,
      setup:
        `@hyperlane-xyz/core ${pkg.version} contracts deployed with viem on two anvil chains (same flags and block production as Junction's): Mailbox (initialized without a proxy), ` +
        `MerkleTreeHook as default hook, a no-op required hook (no protocol fee, no gas paymaster), recipients checked by either TrustedRelayerIsm (verifies only that the trusted relayer delivers: no proof, no signature) ` +
        `or a 1-of-1 StaticMessageIdMultisigIsm (one validator signature over the checkpoint; trust in that validator, not a proof of the origin's state). ` +
        `Relayer and validator: the bench's TypeScript loop (bench/hyperlane/relayer.ts) in its own process, polling every 10 ms, one Mailbox.process per message, no finality wait.`,
      gas,
      latency: { ism: 'MessageIdMultisigIsm, 1 of 1', ratePerSecond: parameters.ratePerSecond, latencyMs: summarize(samples), missing, samples: samples.map((s) => Math.round(s)) },
    }
  } finally {
    if (relayer && relayer.exitCode === null && relayer.signalCode === null) {
      const exited = new Promise((r) => relayer!.once('exit', r))
      relayer.kill('SIGTERM')
      await exited
    }
    await Promise.all(producers.map((p) => p.stop()))
    await Promise.all(anvils.map((a) => a.stop()))
  }
}

const createPublicClientFor = (rpcUrl: string): PublicClient => createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }) as PublicClient
