import { withSession } from '../lib/session'

export const getServerSideProps = withSession

export default function Settings({ settings }: { settings: Record<string, string> }) {
  return <pre>{JSON.stringify(settings)}</pre>
}
