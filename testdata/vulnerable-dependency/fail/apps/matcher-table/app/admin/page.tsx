import { listAccounts } from '../../lib/db'

export default async function Admin() {
  const accounts = await listAccounts()
  return <pre>{JSON.stringify(accounts)}</pre>
}
