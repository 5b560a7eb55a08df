// A Pages Router page renders in the browser too; its getServerSideProps does not.
import { siteConfig } from '../lib/site-config'
import { adminClient } from '../lib/admin-client'

const CLERK_SECRET = 'sk_test_L5cSFamt8TK45Lae4HLc4japgOpvchOFBUFpaYSaXF' // expect: secret-key-in-client

export async function getServerSideProps() {
  const fromServer = 'sk_live_UaDTno66DZKz1bqjJ9UEU2S6XqfRCI7KVwxBERTBGw'
  return { props: { users: await adminClient.list(fromServer) } }
}

export default function Home({ users }) {
  return <main title={siteConfig.title}>{users.length} {CLERK_SECRET.length}</main>
}
