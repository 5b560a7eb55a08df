// Only getServerSideProps uses lib/db: Next.js strips the import from the browser bundle.
import { db } from '../lib/db'
export async function getServerSideProps() {
  return { props: { count: (await db.projects()).length } }
}
export default function Report({ count }) {
  return <p>{count}</p>
}
