'use client'
// The string closes before the read: the variable is read in a client module.
export function TokenHelp() {
  const label = 'token: ' + process.env.REPORT_API_TOKEN // expect: secret-key-exposed-env
  return <p>{label}</p>
}
