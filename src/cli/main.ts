#!/usr/bin/env node
import { JunctionError } from '../errors/JunctionError.js'
import { runCommand } from './runCommand.js'

runCommand(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof JunctionError) {
      console.error(`error: ${error.shortMessage}`)
      if (error.details) console.error(error.details)
    } else {
      console.error(error instanceof Error ? `error: ${error.message}` : error)
    }
    process.exit(1)
  },
)
