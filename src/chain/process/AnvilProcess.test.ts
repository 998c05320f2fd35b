import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { AnvilExitedError, AnvilStartTimeoutError, PortInUseError } from '../../errors/process.js'
import { JunctionError } from '../../errors/JunctionError.js'
import { type AnvilExitInfo, createAnvil } from './AnvilProcess.js'
import { isPortFree } from './isPortFree.js'
import { runningProcesses, stopAll } from './processRegistry.js'
import { chainIdOf, isAlive } from './testUtils.js'

after(async () => {
  await stopAll()
  assert.deepEqual(runningProcesses(), [], 'every anvil this file started is stopped')
})

describe('createAnvil', () => {
  test('starts an anvil that answers eth_chainId with the given chain id, and stop() leaves no process and a free port', async () => {
    const anvil = createAnvil({ chainId: 4242, port: 0, name: 'basic' })
    assert.equal(anvil.status, 'idle')
    await anvil.start()
    console.log(`anvil ready in ${anvil.startupMs!.toFixed(1)} ms (spawn → "Listening on")`)
    assert.equal(anvil.status, 'started')
    assert.notEqual(anvil.port, 0, 'port 0 is replaced by the real port')
    assert.equal(await chainIdOf(anvil.rpcUrl), 4242)
    const { pid, port } = anvil
    assert.ok(pid !== undefined && isAlive(pid))

    await anvil.stop()
    assert.equal(anvil.status, 'stopped')
    assert.equal(anvil.pid, undefined)
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' })
    assert.equal(await isPortFree(port, '127.0.0.1'), true)
  })

  test('measures start-up time to ready over several starts', async () => {
    const times: number[] = []
    for (let i = 0; i < 5; i++) {
      const anvil = createAnvil({ chainId: 4300 + i, port: 0 })
      await anvil.start()
      times.push(anvil.startupMs!)
      await anvil.stop()
    }
    const sorted = [...times].sort((a, b) => a - b)
    console.log(`start-up ms: ${times.map((t) => t.toFixed(1)).join(', ')} (median ${sorted[2]!.toFixed(1)})`)
  })

  test('refuses a second anvil on a port that is taken, naming the port, and the first keeps answering', async () => {
    const first = createAnvil({ chainId: 5001, port: 0, name: 'first' })
    await first.start()
    const second = createAnvil({ chainId: 5002, port: first.port, name: 'second' })
    await assert.rejects(second.start(), (error: unknown) => {
      assert.ok(error instanceof PortInUseError)
      assert.ok(error instanceof JunctionError)
      assert.equal(error.port, first.port)
      assert.match(error.message, new RegExp(`Port ${first.port}\\b`))
      assert.match(error.message, /chain "second"/)
      assert.match(error.details ?? '', /junction up --base-port N/)
      return true
    })
    assert.equal(second.status, 'stopped')
    assert.equal(second.pid, undefined)
    assert.equal(await chainIdOf(first.rpcUrl), 5001)
    await first.stop()
  })

  test('two anvils started at once on the same free port: one listens, the other throws PortInUseError', async () => {
    const probe = createAnvil({ chainId: 5100, port: 0 })
    await probe.start()
    const port = probe.port
    await probe.stop()

    const a = createAnvil({ chainId: 5101, port, name: 'race-a' })
    const b = createAnvil({ chainId: 5102, port, name: 'race-b' })
    const results = await Promise.allSettled([a.start(), b.start()])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    assert.equal(won.length, 1, 'exactly one wins')
    assert.equal(lost.length, 1)
    assert.ok(lost[0]!.reason instanceof PortInUseError, String(lost[0]!.reason))
    const winner = results[0]!.status === 'fulfilled' ? a : b
    assert.equal(await chainIdOf(winner.rpcUrl), winner.chainId)
    await Promise.all([a.stop(), b.stop()])
  })

  test('reports anvil exiting before it is ready with AnvilExitedError and its stderr', async () => {
    const anvil = createAnvil({ chainId: 5200, port: 0, extraArgs: ['--not-an-anvil-flag'] })
    await assert.rejects(anvil.start(), (error: unknown) => {
      assert.ok(error instanceof AnvilExitedError)
      assert.ok(error.stderr.some((line) => line.includes('--not-an-anvil-flag')), error.stderr.join('\n'))
      assert.match(error.details ?? '', /not-an-anvil-flag/)
      return true
    })
    assert.equal(anvil.status, 'stopped')
  })

  test('gives up after the start timeout with AnvilStartTimeoutError and kills the process', async () => {
    const anvil = createAnvil({ chainId: 5300, port: 0, startTimeoutMs: 1 })
    let pid: number | undefined
    anvil.once('exit', () => {})
    const starting = anvil.start()
    pid = anvil.pid
    await assert.rejects(starting, AnvilStartTimeoutError)
    assert.equal(anvil.status, 'stopped')
    if (pid !== undefined) assert.equal(isAlive(pid), false)
  })

  test('stop() is idempotent and can be called before start()', async () => {
    const anvil = createAnvil({ chainId: 5400, port: 0 })
    await anvil.stop()
    await anvil.start()
    const pid = anvil.pid!
    await Promise.all([anvil.stop(), anvil.stop()])
    await anvil.stop()
    assert.equal(isAlive(pid), false)
  })

  test('stop() called during start() leaves no process behind', async () => {
    const anvil = createAnvil({ chainId: 5450, port: 0 })
    const starting = anvil.start()
    await anvil.stop()
    await starting.catch(() => {})
    await anvil.stop()
    assert.equal(anvil.status, 'stopped')
    assert.equal(anvil.pid, undefined)
    assert.deepEqual(runningProcesses().filter((p) => p === anvil), [])
  })

  test('can be started again after stop()', async () => {
    const anvil = createAnvil({ chainId: 5500, port: 0 })
    await anvil.start()
    await anvil.stop()
    await anvil.start()
    assert.equal(await chainIdOf(anvil.rpcUrl), 5500)
    await anvil.stop()
  })

  test('emits ready, stdout, and an unexpected exit when anvil is killed from outside', async () => {
    const anvil = createAnvil({ chainId: 5600, port: 0 })
    const stdout: string[] = []
    anvil.on('stdout', (line) => stdout.push(line))
    const ready = new Promise((resolve) => anvil.once('ready', resolve))
    await anvil.start()
    assert.ok(await ready)
    assert.ok(stdout.some((line) => line.startsWith('Listening on')))
    const exited = new Promise<AnvilExitInfo>((resolve) => anvil.once('exit', resolve))
    process.kill(anvil.pid!, 'SIGKILL')
    const info = await exited
    assert.deepEqual(info, { code: null, signal: 'SIGKILL', expected: false })
    assert.equal(anvil.status, 'stopped')
    assert.deepEqual(runningProcesses().filter((p) => p === anvil), [])
  })

  test('passes --prune-history, --hardfork cancun and the mining options to anvil', async () => {
    const anvil = createAnvil({ chainId: 5700, port: 0, noMining: true, accounts: 2, balance: 7 })
    await anvil.start()
    const cmdline = (await import('node:fs')).readFileSync(`/proc/${anvil.pid}/cmdline`, 'utf8').split('\0')
    for (const flag of ['--prune-history', '--no-mining']) assert.ok(cmdline.includes(flag), flag)
    assert.equal(cmdline[cmdline.indexOf('--hardfork') + 1], 'cancun')
    const rpc = async (method: string, params: unknown[] = []) => {
      const response = await fetch(anvil.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      })
      return ((await response.json()) as { result: unknown }).result
    }
    const accounts = (await rpc('eth_accounts')) as string[]
    assert.equal(accounts.length, 2)
    assert.equal(BigInt((await rpc('eth_getBalance', [accounts[0], 'latest'])) as string), 7n * 10n ** 18n)
    assert.equal(await rpc('anvil_getAutomine'), false)
    await anvil.stop()
  })
})
