// Runs every test file with node's test runner: `npm test` (all), `npm test -- src/protocol` (a folder or files).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

function collect(path: string, out: string[]): string[] {
  if (statSync(path).isFile()) {
    if (path.endsWith('.test.ts')) out.push(path)
    return out
  }
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    collect(join(path, entry), out)
  }
  return out
}

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test']
const files = roots.flatMap((root) => collect(root, [])).sort()
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`)
  process.exit(1)
}
const concurrency = process.env.JUNCTION_TEST_CONCURRENCY ?? '2'
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' })
process.exit(result.status ?? 1)
