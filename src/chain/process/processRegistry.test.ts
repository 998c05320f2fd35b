import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { isAlive, waitUntilGone } from './testUtils.js'
import { withParentDeathSignal } from './withParentDeathSignal.js'

const fixture = fileURLToPath(new URL('./fixtures/twoAnvils.ts', import.meta.url))
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url))

type Started = { child: ChildProcess; pids: number[]; lines: string[] }

/** Runs the fixture, which starts two anvils, and waits for the line with their pids. */
async function startFixture(mode: string, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const pids = await new Promise<number[]>((resolve, reject) => {
    let buffer = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk
      const parts = buffer.split('\n')
      buffer = parts.pop()!
      for (const line of parts) {
        lines.push(line)
        const parsed = JSON.parse(line) as { pids?: number[] }
        if (parsed.pids) resolve(parsed.pids)
      }
    })
    child.once('exit', (code) => reject(new Error(`fixture exited early (${code}):\n${stderr}`)))
    setTimeout(() => reject(new Error(`fixture printed no pids in 15 s:\n${stderr}`)), 15_000).unref()
  })
  assert.equal(pids.length, 2)
  for (const pid of pids) assert.ok(isAlive(pid), `anvil ${pid} runs`)
  return { child, pids, lines }
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode }
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null]
  return { code, signal }
}

/** Last resort so a failing test never leaves anvils behind. */
function killLeftovers(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

// Signal and crash cases run with pdeathsig switched off, so they prove the JS handlers alone.
const handlersOnly = { JUNCTION_NO_PDEATHSIG: '1' }

describe('no anvil outlives the process that started it', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
    test(`stops both anvils and exits ${code} when the parent gets ${signal}`, async () => {
      const { child, pids } = await startFixture('wait', handlersOnly)
      try {
        child.kill(signal)
        assert.deepEqual(await exitOf(child), { code, signal: null })
        assert.deepEqual(await waitUntilGone(pids, 3_000), [])
      } finally {
        killLeftovers(pids)
      }
    })
  }

  test('runs the application shutdown callback first, then stops the anvils and exits', async () => {
    const { child, pids, lines } = await startFixture('app-handler', handlersOnly)
    try {
      child.kill('SIGTERM')
      assert.deepEqual(await exitOf(child), { code: 143, signal: null })
      assert.ok(lines.includes(JSON.stringify({ cleanup: 'SIGTERM' })), lines.join('\n'))
      assert.deepEqual(await waitUntilGone(pids, 3_000), [])
    } finally {
      killLeftovers(pids)
    }
  })

  test('kills both anvils when the parent dies of an uncaught exception', async () => {
    const { child, pids } = await startFixture('crash', handlersOnly)
    try {
      // It crashes only once the test has seen both anvils run (a timer could fire first on a loaded machine).
      child.stdin!.write('crash\n')
      assert.equal((await exitOf(child)).code, 1)
      assert.deepEqual(await waitUntilGone(pids, 3_000), [])
    } finally {
      killLeftovers(pids)
    }
  })

  const pdeathsig = withParentDeathSignal('true', []).guarded
  test('kills both anvils when the parent is SIGKILLed (setpriv --pdeathsig)', { skip: !pdeathsig && 'setpriv --pdeathsig is not available here' }, async () => {
    const { child, pids } = await startFixture('wait')
    try {
      child.kill('SIGKILL')
      assert.deepEqual(await exitOf(child), { code: null, signal: 'SIGKILL' })
      assert.deepEqual(await waitUntilGone(pids, 3_000), [])
    } finally {
      killLeftovers(pids)
    }
  })
})
