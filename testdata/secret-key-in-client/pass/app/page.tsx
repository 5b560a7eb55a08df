// A server component: what it imports stays on the server.
import { serverKey } from '@/lib/server-key'
export default function Home() {
  return <p>{serverKey.length}</p>
}
