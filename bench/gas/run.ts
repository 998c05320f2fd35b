// `npm run gas`: runs the fixed gas scenarios (bench/gas/scenarios.ts) and writes their figures to
// test/contracts/gas-snapshot.json, printing each figure next to the one it replaces.
// `npm run gas -- --check`: compares only (exit 1 when a figure moved), as test/contracts/gasSnapshot.test.ts does.
// `npm run gas -- --profile [text]`: also prints where the gas of each figure (whose name contains `text`) goes.
import { formatProfile, profileTransaction } from './profile.js'
import { SourceMaps } from './sourceMap.js'
import { compareWithSnapshot, readSnapshot, snapshotOf, writeSnapshot, SNAPSHOT_PATH } from './snapshot.js'
import { runGasScenarios } from './scenarios.js'

const args = process.argv.slice(2)
const check = args.includes('--check')
const profileAt = args.indexOf('--profile')
const profileFilter = profileAt === -1 ? undefined : (args[profileAt + 1] && !args[profileAt + 1]!.startsWith('--') ? args[profileAt + 1]! : '')

const started = performance.now()
const run = await runGasScenarios({ onProgress: (line) => console.error(`gas: ${line}`), tracing: profileFilter !== undefined })
try {
  const current = snapshotOf(run.figures)
  const previous = readSnapshot()
  const width = Math.max(...Object.keys(current).map((k) => k.length))
  for (const [name, gas] of Object.entries(current)) {
    const before = previous[name]
    const delta = before === undefined ? '(new)' : gas === before ? '' : `${gas > before ? '+' : ''}${(gas - before).toLocaleString('en')} (was ${before.toLocaleString('en')})`
    console.log(`${name.padEnd(width)}  ${gas.toLocaleString('en').padStart(9)}  ${delta}`)
  }
  if (profileFilter !== undefined) {
    const sourceMaps = new SourceMaps()
    for (const figure of run.figures.filter((f) => f.name.includes(profileFilter))) {
      const contracts = run.contracts[figure.chain.chainId] ?? {}
      const names = Object.fromEntries(Object.entries(contracts).map(([address, c]) => [address, c.name]))
      const artifacts = Object.fromEntries(Object.entries(contracts).map(([address, c]) => [address, c.artifact]))
      console.log(`\n${formatProfile(figure.name, await profileTransaction(figure.chain.client, figure.hash, { names, artifacts, sourceMaps }))}`)
    }
  }
  const problems = compareWithSnapshot(current, previous)
  if (check) {
    if (problems.length) {
      console.error(`\n${problems.join('\n')}\nRun \`npm run gas\` to update ${SNAPSHOT_PATH} and commit it with the change.`)
      process.exitCode = 1
    } else console.error(`\ngas: every figure matches ${SNAPSHOT_PATH}`)
  } else {
    writeSnapshot(current)
    console.error(`\ngas: wrote ${SNAPSHOT_PATH} (${problems.length} change(s)) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
} finally {
  await run.stop()
}
