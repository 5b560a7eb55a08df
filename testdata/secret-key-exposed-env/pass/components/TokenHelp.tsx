'use client'
// Names the variable in messages and a list of where it was looked for: nothing reads it.
const checkedSources = ['process.env.REPORT_API_TOKEN', '.env.local']
export function TokenHelp() {
  return <p title={`Set process.env.REPORT_API_TOKEN`}>{checkedSources.join(', ')}</p>
}
