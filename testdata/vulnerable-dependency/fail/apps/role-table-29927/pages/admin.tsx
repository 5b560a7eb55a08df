import { db } from '../lib/db'

export async function getServerSideProps() {
  return { props: { accounts: await db.account.findMany() } }
}

export default function Admin({ accounts }: { accounts: string[] }) {
  return <pre>{JSON.stringify(accounts)}</pre>
}
