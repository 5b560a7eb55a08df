import { Title, Divider } from '../../components/ui'
import { Panel } from '../../components/panel'

// A shell: the data comes to the client component from an endpoint.
export default function Dashboard() {
  return (
    <main>
      <Title>Dashboard</Title>
      <Divider />
      <Panel />
    </main>
  )
}
