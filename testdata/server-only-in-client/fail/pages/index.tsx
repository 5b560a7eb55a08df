// Used by the component, not only by getServerSideProps: it ships.
import { formatSession } from '../lib/session'
export const getServerSideProps = async () => ({ props: {} })
export default function Home() {
  return <p>{formatSession()}</p>
}
