// resumeNetwork refuses a saved network deployed under other contracts (its manifest's contractsVersion, or
// none: saved before the stamp existed) before it touches anything: no checkpoint is read, no node started.
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { CannotResumeError } from '../errors/durability.js'
import { CONTRACTS_VERSION } from './contractsVersion.js'
import { resumeNetwork } from './resumeNetwork.js'

for (const [label, contractsVersion] of [['without a contracts version', undefined], ['with another contracts version', CONTRACTS_VERSION + 1]] as const) {
  test(`a saved network ${label} is refused, naming both versions, and nothing in its folder changes`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'junction-resume-'))
    try {
      writeFileSync(join(dataDir, 'network.json'), JSON.stringify({ version: 1, createdAt: '2026-12-01T00:00:00.000Z', ...(contractsVersion === undefined ? {} : { contractsVersion }), chains: [] }))
      await assert.rejects(resumeNetwork({ dataDir }), (error: unknown) => {
        assert.ok(error instanceof CannotResumeError)
        assert.match(error.message, new RegExp(`contracts version ${contractsVersion ?? 'none'}, this Junction's is ${CONTRACTS_VERSION}`))
        assert.match(error.message, /--fresh/)
        return true
      })
      assert.deepEqual(readdirSync(dataDir), ['network.json'])
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
}
